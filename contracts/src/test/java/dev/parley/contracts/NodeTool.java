package dev.parley.contracts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs the validators pinned by {@code src/test/js/package-lock.json} into {@code target/contracts-js} with
 * {@code npm ci} (skipped when node_modules already matches the lockfile) and runs node scripts there.
 */
final class NodeTool {

    record Run(int exit, String stdout, String stderr) {
        Optional<String> result() {
            return stdout.lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7)).findFirst();
        }
    }

    private final Path dir;

    private NodeTool(Path dir) {
        this.dir = dir;
    }

    /** Why node or npm cannot run here, or empty. */
    static Optional<String> missing() {
        for (String tool : List.of("node", "npm")) {
            try {
                if (run(List.of(tool, "--version"), Path.of("."), 60).exit() != 0) {
                    return Optional.of(tool + " --version failed");
                }
            } catch (IOException e) {
                return Optional.of("'" + tool + "' is not on the PATH");
            }
        }
        return Optional.empty();
    }

    static NodeTool install(Path moduleDir) throws IOException {
        Path source = moduleDir.resolve("src/test/js");
        Path target = moduleDir.resolve("target/contracts-js");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String lock = sha256(Files.readAllBytes(target.resolve("package-lock.json")));
        Path stamp = target.resolve("node_modules/.parley-lock-sha256");
        if (!(Files.exists(stamp) && Files.readString(stamp).equals(lock))) {
            Run ci = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"), target, 600);
            if (ci.exit() != 0) {
                throw new IllegalStateException("npm ci failed in " + target + ": " + ci.stderr());
            }
            Files.writeString(stamp, lock);
        }
        return new NodeTool(target);
    }

    Run node(String script, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        return run(cmd, dir, 300);
    }

    private static Run run(List<String> command, Path workDir, long timeoutSeconds) throws IOException {
        Path out = Files.createTempFile("parley-node-", ".out");
        Path err = Files.createTempFile("parley-node-", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
