package dev.parley.schemas.registry.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs Confluent's JavaScript Schema Registry client (pinned by {@code src/test/js/package-lock.json})
 * into {@code target/js-interop} with {@code npm ci}, and runs the node scripts beside it.
 */
final class JsInteropTool {

    /** What a process did. */
    record Run(int exit, String stdout, String stderr) {
        /** The JSON after the {@code RESULT } marker the scripts print. */
        Optional<String> result() {
            return stdout.lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7)).findFirst();
        }

        String describe() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private final Path dir;

    private JsInteropTool(Path dir) {
        this.dir = dir;
    }

    /** Why node or npm cannot be used here, or empty when both run. */
    static Optional<String> missingTools() {
        for (String tool : List.of("node", "npm")) {
            try {
                Run r = run(List.of(tool, "--version"), Path.of(System.getProperty("java.io.tmpdir")), Duration.ofMinutes(1));
                if (r.exit() != 0) {
                    return Optional.of("'" + tool + " --version' exited with " + r.exit());
                }
            } catch (IOException e) {
                return Optional.of("'" + tool + "' is not on the PATH (" + e.getMessage() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Copies package.json, package-lock.json and the scripts from {@code src/test/js} to {@code target/js-interop}
     * and runs {@code npm ci} there, unless node_modules already matches the lockfile.
     */
    static JsInteropTool install(Path moduleDir) throws IOException {
        Path source = moduleDir.resolve("src/test/js");
        Path target = moduleDir.resolve("target/js-interop");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String lockHash = sha256(Files.readAllBytes(target.resolve("package-lock.json")));
        Path stamp = target.resolve("node_modules/.parley-lock-sha256");
        boolean installed = Files.exists(target.resolve("node_modules/@confluentinc/schemaregistry/package.json"))
                && Files.exists(stamp) && Files.readString(stamp).equals(lockHash);
        if (!installed) {
            Run ci = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"), target, Duration.ofMinutes(10));
            if (ci.exit() != 0) {
                throw new IllegalStateException("npm ci of the JavaScript registry client failed in " + target + ": " + ci.describe());
            }
            Files.writeString(stamp, lockHash);
        }
        return new JsInteropTool(target);
    }

    Path dir() {
        return dir;
    }

    /** Runs {@code node <script> args...} in the install directory. */
    Run node(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return run(command, dir, Duration.ofMinutes(2));
    }

    private static Run run(List<String> command, Path workDir, Duration timeout) throws IOException {
        Path out = Files.createTempFile("parley-js-", ".out");
        Path err = Files.createTempFile("parley-js-", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while running " + command, e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within " + timeout);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
