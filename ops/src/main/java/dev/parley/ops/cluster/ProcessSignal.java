package dev.parley.ops.cluster;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The POSIX signals the cluster sends to its nodes: a crash, a clean stop, a freeze (like a long GC pause) and its end. */
public enum ProcessSignal {
    /** SIGKILL: gone at once, no shutdown hook, no flush, no goodbye to the cluster. */
    KILL,
    /** SIGTERM: the clean stop (shutdown hooks run). */
    TERM,
    /** SIGSTOP: frozen; sockets stay open, nothing answers. */
    STOP,
    /** SIGCONT: thawed after STOP. */
    CONT;

    /** Sends this signal to {@code pid} with the shell's {@code kill}; returns once it is delivered. */
    public void send(long pid) {
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -s " + name() + " " + pid)
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new ClusterException("kill -s " + name() + " " + pid + " did not return");
            }
            if (kill.exitValue() != 0) {
                throw new ClusterException("kill -s " + name() + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new ClusterException("cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while signalling " + pid, e);
        }
    }
}
