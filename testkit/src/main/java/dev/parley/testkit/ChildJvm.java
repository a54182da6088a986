package dev.parley.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a separate JVM with this test's classpath, so a test can kill it for real
 * ({@link #kill()} is SIGKILL: no shutdown hook, no clean close, no commit).
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(Process process, String readyMarker) {
        this.process = process;
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith(readyMarker)) {
                        ready.complete(line.substring(readyMarker.length()).trim());
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
            ready.completeExceptionally(new IllegalStateException("child exited before it was ready; last output: " + tail()));
        }, "child-jvm-output");
        pump.setDaemon(true);
        pump.start();
    }

    public static ChildJvm start(Class<?> mainClass, Map<String, String> env, String readyMarker) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx512m", "-XX:+UseParallelGC",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.parley,java.lang,java.util,java.math,java.time",
                "-cp", System.getProperty("java.class.path"), mainClass.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new ChildJvm(pb.start(), readyMarker);
    }

    /** Waits for the ready marker and returns what followed it on its line. */
    public String awaitReady(long timeout, TimeUnit unit) throws Exception {
        return ready.get(timeout, unit);
    }

    /** SIGKILL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String tail() {
        synchronized (output) {
            return String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
