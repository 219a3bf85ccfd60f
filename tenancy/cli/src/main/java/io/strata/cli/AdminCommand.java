package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that calls the admin API once: {@link ApiOptions} for where and as whom, {@code --json} for the server's
 * JSON (pretty-printed) instead of the human rendering.
 */
abstract class AdminCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Option(names = "--json", description = "Print the server's JSON answer instead of a table.")
    boolean json;

    @Override
    public final Integer call() throws Exception {
        Env env = Strata.env(spec);
        JsonNode answer = call(api.client(spec), env);
        if (json) {
            Output.json(env.out(), answer);
        } else {
            render(answer, env);
        }
        return 0;
    }

    /** Validates the arguments (usage errors first), then sends the request; returns the answer. */
    abstract JsonNode call(AdminClient client, Env env) throws Exception;

    /** Prints {@code answer} for a human (or a script: stdout holds only the requested output). */
    abstract void render(JsonNode answer, Env env);
}
