package dev.parley.ops.cli;

import dev.parley.schemas.config.Env;
import java.util.Locale;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every option be set by an environment variable: {@code --data-dir} by {@code PARLEY_DATA_DIR},
 * {@code --kafka-port} by {@code PARLEY_KAFKA_PORT}, and so on ({@code PARLEY_} + the long name in upper
 * snake case). A flag on the command line wins over the variable, the variable over the built-in default.
 */
public final class EnvDefaultProvider implements IDefaultValueProvider {

    private final Env env;

    public EnvDefaultProvider(Env env) {
        this.env = env;
    }

    /** {@code --data-dir} to {@code PARLEY_DATA_DIR}; null for help options. */
    public static String envName(OptionSpec option) {
        if (option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String name = option.longestName().replaceFirst("^-+", "");
        return "PARLEY_" + name.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            String name = envName(option);
            return name == null ? null : env.str(name, null);
        }
        return null;
    }
}
