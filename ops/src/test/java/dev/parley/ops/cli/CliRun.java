package dev.parley.ops.cli;

import dev.parley.schemas.config.Env;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One run of the {@code parley} command line in this JVM, with what it printed and its exit code. */
public record CliRun(int code, String out, String err) {

    /** Runs {@code parley <args>} with an empty environment. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ParleyCli.commandLine(Env.of(Map.of()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
