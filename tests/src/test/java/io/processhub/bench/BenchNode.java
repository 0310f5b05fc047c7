package io.processhub.bench;

import io.processhub.CheckpointConfiguration;
import io.processhub.ChildInfo;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.examples.LocalNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * An Ignite server node in a JVM of its own, driven by {@link ChildJvm}:
 * {@code BenchNode <name> <portBase> <hubId> member|checkpoints|view}. A {@code member} runs the hub (the node the
 * failover measurement kills with kill -9; {@code checkpoints}: with checkpoints on, for the checkpoint part); a
 * {@code view} does not, and attaches to the hub on request, so the heap of this JVM shows what one registry copy costs. Answers commands on stdin with lines starting with {@code @@}:
 * {@code attach}, {@code heap} (used heap after full collections), {@code histogram} (a class histogram, written to a
 * temporary file whose path it answers), {@code visible <prefix> <n>}; stops when stdin closes.
 */
public final class BenchNode {
    private BenchNode() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        String hubId = args[2];
        boolean checkpoints = "checkpoints".equals(args[3]);
        boolean member = checkpoints || "member".equals(args[3]);
        HubConfiguration hubCfg = new HubConfiguration(hubId).setCheckpoints(new CheckpointConfiguration().setEnabled(checkpoints));
        Ignite ignite = Ignition.start(member ? LocalNode.config(name, port, hubCfg)
            : LocalNode.config(name, port).setFailureDetectionTimeout(20_000));
        ProcessHub hub = member ? ProcessHubs.hub(ignite, hubId) : null;
        reply("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "attach":
                    hub = ProcessHubs.hub(ignite, hubId);
                    reply("OK " + hub.children().size());
                    break;
                case "heap":
                    reply("HEAP " + SteadyHeap.read());
                    break;
                case "histogram": {
                    java.nio.file.Path file = java.nio.file.Files.createTempFile("view-histogram-", ".txt");
                    java.nio.file.Files.writeString(file, Benchmark.histogramText());
                    reply("HISTO " + file.toAbsolutePath());
                    break;
                }
                case "visible": {
                    String prefix = cmd[1];
                    int n = Integer.parseInt(cmd[2]);
                    for (int i = 0; i < n; i++)
                        while (!visible(hub, prefix + i))
                            Thread.sleep(2);
                    reply("OK");
                    break;
                }
                default:
                    reply("ERROR unknown command " + line);
            }
        }
        ignite.close();
        System.exit(0);
    }

    private static boolean visible(ProcessHub hub, String id) {
        Optional<ChildInfo> info = hub.lookup(id);
        return info.isPresent() && info.get().activeRef().isPresent();
    }

    private static void reply(String s) {
        System.out.println("@@ " + s);
        System.out.flush();
    }
}
