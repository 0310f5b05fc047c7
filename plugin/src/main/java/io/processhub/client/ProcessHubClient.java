package io.processhub.client;

import io.processhub.UnknownHubException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.client.IgniteClient;

/**
 * ProcessHub for Ignite thin clients: {@code ProcessHubClient.of(igniteClient).hub("orders")}. Needs only
 * {@code ignite-core} and this library on the client's classpath; the servers need the ProcessHub plugin, which
 * hosts the {@link ProcessHubService} this class talks to on every server node.
 *
 * <p>Ignite's thin-client service proxies block, so the futures of {@link RemoteHub} run their request on a small
 * pool of daemon threads owned by this object ({@link #close()} stops it; the {@link IgniteClient} stays open and
 * belongs to the caller); {@link RemoteHub#callAndWait} runs on the caller's thread instead, and so does a request
 * whose future the caller waits for with {@code get()} or {@code join()} before a pool thread took it.
 */
public final class ProcessHubClient implements AutoCloseable {
    /** Requests in flight at once; more wait in the pool's queue. */
    private static final int POOL_SIZE = 16;

    private final ProcessHubService service;
    private final ExecutorService executor;
    private final ServiceRequests requests;
    /** The service bound to each server node, for routed calls and tickets. */
    private final NodeServices nodes;

    private ProcessHubClient(IgniteClient client, ProcessHubService service, ExecutorService executor) {
        this.service = service;
        this.executor = executor;
        this.nodes = new NodeServices(client);
        this.requests = new ServiceRequests(executor, nodes);
    }

    /** A ProcessHub client over a connected thin client. */
    public static ProcessHubClient of(IgniteClient client) {
        Objects.requireNonNull(client, "client");
        ProcessHubService service = client.services().serviceProxy(ProcessHubService.NAME, ProcessHubService.class);
        return new ProcessHubClient(client, service, requestPool());
    }

    /**
     * The hub with this id, checked with one request to the cluster.
     *
     * @throws UnknownHubException if no node of the cluster runs the hub (the message lists the hubs that run).
     */
    public RemoteHub hub(String hubId) {
        requests.sync("hub", hubId, () -> service.nodes(hubId));
        return new RemoteHub(hubId, service, requests, new ChildRoutes(nodes));
    }

    /**
     * Stops the request pool: requests already running finish, later future-returning requests of its hubs are
     * rejected ({@code RejectedExecutionException}). The thin client itself is not closed.
     */
    @Override
    public void close() {
        executor.shutdown();
    }

    private static ExecutorService requestPool() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "processhub-thin-request-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL_SIZE, POOL_SIZE, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), daemons);
        pool.allowCoreThreadTimeOut(true); // an idle client holds no threads
        return pool;
    }
}
