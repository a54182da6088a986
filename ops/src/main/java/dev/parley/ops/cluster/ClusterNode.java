package dev.parley.ops.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of the local cluster, by name: start it, wait until it serves, and crash, freeze, thaw, stop or
 * restart it. Its ports, data dir and log file stay the same across restarts.
 *
 * <p>The JVM runs {@link ChildMain} with SIGINT ignored (started through {@code sh -c "trap '' INT; exec ..."},
 * and a JVM keeps an inherited "ignore" for SIGINT), so Ctrl-C in a terminal reaches only the parent; it dies
 * with the parent through its standard input (see {@link ChildMain}). Its output is appended to its log file.
 */
public final class ClusterNode {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final String IGNORE_SIGINT_THEN_EXEC = "trap '' INT; exec \"$0\" \"$@\"";

    private final NodeSpec spec;
    private final String classpath;
    private Process process;
    private volatile boolean stopping;

    ClusterNode(NodeSpec spec, String classpath) {
        this.spec = spec;
        this.classpath = classpath;
    }

    public String name() {
        return spec.name();
    }

    public NodeRole role() {
        return spec.role();
    }

    /** Label to port, e.g. {@code kafka} and {@code controller} for a broker, {@code http} for a gateway. */
    public Map<String, Integer> ports() {
        return spec.ports();
    }

    public int port(String label) {
        return spec.port(label);
    }

    public Path logFile() {
        return spec.logFile();
    }

    public Path dataDir() {
        return spec.dataDir();
    }

    public NodeSpec spec() {
        return spec;
    }

    /** The running JVM's pid; empty when it is not running. */
    public synchronized OptionalLong pid() {
        return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the JVM (returns at once; {@link #awaitReady} waits). Refused while it runs. */
    public synchronized void start() {
        if (isRunning()) {
            throw new ClusterException(name() + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(spec.dataDir());
            Files.createDirectories(spec.logFile().getParent());
            Files.writeString(spec.logFile(), "==== " + Instant.now() + " parley cluster: starting " + name() + " ====\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            pb.environment().clear();
            pb.environment().putAll(spec.env());
            stopping = false;
            process = pb.start();
            // Standard input stays open (a pipe this JVM holds) until this JVM dies: see ChildMain.
            LOG.info("{} started (pid {}), log {}", name(), process.pid(), spec.logFile());
        } catch (IOException e) {
            throw new ClusterException("cannot start " + name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the node serves ({@link NodeSpec#readiness()}).
     *
     * @throws ClusterException when it exits first or is not ready in time, with the end of its log
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            throw new ClusterException(name() + " was not started");
        }
        boolean ready;
        try {
            ready = spec.readiness().await(timeout, p::isAlive);
        } catch (ClusterException e) {
            throw new ClusterException(name() + " " + e.getMessage() + "; end of " + logFile() + ":\n" + logTail(30), e);
        }
        if (!ready) {
            throw new ClusterException(name() + (stopping ? " was stopped" : " exited with code " + exitCode(p))
                    + " before it was ready; end of " + logFile() + ":\n" + logTail(30));
        }
    }

    /** {@link #start()} then {@link #awaitReady}. */
    public void startAndAwaitReady(Duration timeout) throws InterruptedException {
        start();
        awaitReady(timeout);
    }

    /** SIGKILL: a crash. Returns once the process is gone. No-op when it is not running. */
    public void kill() throws InterruptedException {
        Process p = runningOrNull();
        if (p != null) {
            stopping = true;
            p.destroyForcibly();
            p.waitFor();
            LOG.info("{} killed (SIGKILL)", name());
        }
    }

    /** SIGSTOP: frozen (like a long GC pause or a hung VM); its sockets stay open and nothing answers. */
    public void pause() {
        signal(ProcessSignal.STOP);
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal(ProcessSignal.CONT);
    }

    /** Sends a signal to the running JVM. */
    public void signal(ProcessSignal signal) {
        Process p = runningOrNull();
        if (p == null) {
            throw new ClusterException(name() + " is not running; cannot send SIG" + signal);
        }
        signal.send(p.pid());
        LOG.info("{} got SIG{}", name(), signal);
    }

    /**
     * The clean stop: SIGCONT (in case it is paused), SIGTERM, and SIGKILL if it has not exited within
     * {@code timeout}. Returns true when it stopped cleanly. No-op (true) when it is not running.
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        Process p = runningOrNull();
        if (p == null) {
            return true;
        }
        stopping = true;
        ProcessSignal.CONT.send(p.pid());
        p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close its stdin, which ChildMain reads as "parent gone"
        if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.info("{} stopped (exit code {})", name(), p.exitValue());
            return true;
        }
        LOG.warn("{} did not stop within {} s; killing it", name(), timeout.toSeconds());
        p.destroyForcibly();
        p.waitFor();
        return false;
    }

    /** {@link #stop} if running, then {@link #startAndAwaitReady}. */
    public void restart(Duration stopTimeout, Duration readyTimeout) throws InterruptedException {
        stop(stopTimeout);
        startAndAwaitReady(readyTimeout);
    }

    /** The last {@code lines} lines of its log file. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(spec.logFile())) {
                return "";
            }
            List<String> all = Files.readAllLines(spec.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + spec.logFile() + ": " + e.getMessage() + ")";
        }
    }

    /** True when the process exited although nobody here stopped or killed it. */
    public synchronized boolean exitedUnexpectedly() {
        return process != null && !process.isAlive() && !stopping;
    }

    /** The exit code of the last run, if it ended. */
    public synchronized OptionalLong exitCode() {
        return process != null && !process.isAlive() ? OptionalLong.of(process.exitValue()) : OptionalLong.empty();
    }

    /** The command line: {@code sh -c "trap '' INT; exec ..." java <options> -cp <classpath> ChildMain <main class>}. */
    List<String> command() {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", IGNORE_SIGINT_THEN_EXEC,
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-Dparley.node=" + name()); // who is who in ps and jcmd
        cmd.addAll(spec.javaOptions());
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // a native crash (hs_err) lands beside the node's log, not in whatever directory started the cluster
        cmd.add("-XX:ErrorFile=" + spec.logFile().resolveSibling(name() + "-hs_err_pid%p.log"));
        cmd.add("-Djava.awt.headless=true");
        // Avro 1.12 only instantiates generated classes from trusted packages.
        cmd.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.parley,java.lang,java.util,java.math,java.time");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ChildMain.class.getName());
        cmd.add(spec.mainClass());
        return cmd;
    }

    private synchronized Process runningOrNull() {
        return process != null && process.isAlive() ? process : null;
    }

    private static String exitCode(Process p) {
        try {
            return String.valueOf(p.exitValue());
        } catch (IllegalThreadStateException stillRunning) {
            return "?";
        }
    }

    @Override
    public String toString() {
        return name() + pid().stream().mapToObj(p -> " (pid " + p + ")").findFirst().orElse(" (not running)");
    }
}
