package dev.parley.ops.cli;

import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.schemas.config.Env;
import dev.parley.api.Limits;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley token <user>}: a bearer token the gateways accept, for curl, bots and tests. */
@Command(name = "token",
        description = {"Prints a bearer token (HS256 JWT, sub = USER) that the gateways accept.",
                "Signed with PARLEY_JWT_SECRET, the gateways' own secret (the built-in dev secret when unset, which "
                        + "only gateways without PARLEY_JWT_SECRET accept); PARLEY_JWT_ISSUER and PARLEY_JWT_AUDIENCE "
                        + "are added when set. Only the token goes to stdout, so TOKEN=$(parley token alice) works."},
        footer = {"", "Example: curl -H \"Authorization: Bearer $(./parley token alice)\" http://127.0.0.1:8080/api/v1/channels"})
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "USER", description = "The user id the token names (1-128 characters).")
    String user;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long the token is valid. Env PARLEY_TTL. Default: ${DEFAULT-VALUE}")
    Duration ttl;

    private final Env env;

    public TokenCommand() {
        this(Env.system());
    }

    TokenCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Limits.isValidToken(user)) {
            err.println("error: the user id must be 1-" + Limits.MAX_ID_CHARS + " characters");
            err.flush();
            return 2;
        }
        String secret = env.str("PARLEY_JWT_SECRET", GatewayConfig.DEV_SECRET);
        DevTokens tokens;
        try {
            tokens = new DevTokens(secret, env.str("PARLEY_JWT_ISSUER", null), env.str("PARLEY_JWT_AUDIENCE", null));
        } catch (RuntimeException e) {
            err.println("error: cannot sign with PARLEY_JWT_SECRET: " + e.getMessage());
            err.flush();
            return 1;
        }
        out.println(tokens.issue(user, ttl));
        out.flush();
        err.println("token for " + user + ", valid until " + Instant.now().plus(ttl)
                + (secret.equals(GatewayConfig.DEV_SECRET) ? " (signed with the dev secret)" : " (signed with PARLEY_JWT_SECRET)"));
        err.flush();
        return 0;
    }
}
