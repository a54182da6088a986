package dev.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Every frame the test clients receive from a gateway, appended to {@code target/frames/<run>-<pid>.jsonl} of the
 * module under test, one JSON frame per line. The contracts module's FrameContractTest (the last module of the
 * build) compares the union with docs/contracts/asyncapi.yaml. {@code <run>} is the Maven build's start time
 * (system property {@code parley.frames.run}, set by the parent pom), so frames of earlier builds are ignored.
 */
public final class FrameLog {

    private static final Path FILE = Path.of("target", "frames",
            System.getProperty("parley.frames.run", "manual") + "-" + ProcessHandle.current().pid() + ".jsonl");

    private FrameLog() {
    }

    /** Appends one received text frame. */
    public static synchronized void received(String frame) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, frame.replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
