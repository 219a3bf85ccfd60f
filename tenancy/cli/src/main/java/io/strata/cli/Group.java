package io.strata.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run alone, it is a usage error (status 2) naming them. */
abstract class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: give one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
