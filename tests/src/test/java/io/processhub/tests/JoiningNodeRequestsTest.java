package io.processhub.tests;

import io.processhub.ChildError;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.examples.CounterChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A joining node is a hub member (it owns children) from the topology version it joined at, but it listens for
 * the hub's requests only once its hub has opened, which loads the registry first. Requests the other nodes send
 * it in between must wait for it, not vanish: start batches issued back to back while a node joins all succeed,
 * none with NODE_TIMEOUT.
 */
class JoiningNodeRequestsTest {
    private static final String HUB = "joining";
    /** Children started before the join, so the joining node's registry load takes a while. */
    private static final int PRELOADED = 3_000;
    private static final int BATCH = 30;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        cluster.startAll("a", "b");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void startsSentWhileANodeJoinsAllSucceed() throws Exception {
        ProcessHub hub = cluster.hub("a", HUB);
        assertTrue(hub.startChildren(specs("pre-", 0, PRELOADED), StartOptions.defaults().timeout(Duration.ofMinutes(1)))
            .get(2, TimeUnit.MINUTES).isOk());

        CompletableFuture<Ignite> joined = CompletableFuture.supplyAsync(() -> cluster.start("c"));
        StartOptions opts = StartOptions.defaults().timeout(Duration.ofSeconds(20));
        List<ChildError> errors = new ArrayList<>();
        int batches = 0;
        int afterJoin = 0;
        // Back to back until the node has started, and a few batches more.
        while (afterJoin < 5) {
            if (joined.isDone())
                afterJoin++;
            StartResult res = hub.startChildren(specs("during-" + batches + "-", 0, BATCH), opts).get(1, TimeUnit.MINUTES);
            errors.addAll(res.errors());
            batches++;
        }
        joined.get();

        assertEquals(List.of(), errors, "starts sent while c joined (" + batches + " batches)");
        int all = PRELOADED + batches * BATCH;
        TestCluster.await().until(() -> hub.children().size() == all);
    }

    private static List<ChildSpec> specs(String prefix, int from, int n) {
        List<ChildSpec> res = new ArrayList<>(n);
        for (int i = from; i < from + n; i++)
            res.add(ChildSpec.of(prefix + i, CounterChild.class.getName()));
        return res;
    }
}
