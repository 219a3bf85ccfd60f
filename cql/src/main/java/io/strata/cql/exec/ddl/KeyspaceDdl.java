package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Replication;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.ast.AlterKeyspace;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.Statement;
import io.strata.cql.schema.SchemaService.Change;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CREATE, ALTER and DROP KEYSPACE: validation with Cassandra's codes and messages (replication strategies
 * and their options; Keyspaces' SingleRegionStrategy and TAGS), and the schema change each makes. Pure
 * functions of (statement, current schema). Stateless.
 */
final class KeyspaceDdl {
    /** Cassandra 4.1+'s default_keyspace_rf: the factor of a strategy given none. */
    private static final String DEFAULT_KEYSPACE_RF = "1";

    private KeyspaceDdl() {}

    /**
     * @param datacenters the data centers of the cluster (NetworkTopologyStrategy may name only these), or
     *     empty if unknown (then not checked)
     */
    static Change apply(Statement s, Schema schema, Optional<Set<String>> datacenters) {
        if (s instanceof CreateKeyspace c) {
            return createKeyspace(c, schema, datacenters);
        }
        if (s instanceof AlterKeyspace a) {
            return alterKeyspace(a, schema, datacenters);
        }
        return dropKeyspace((DropKeyspace) s, schema);
    }

    static Change createKeyspace(CreateKeyspace s, Schema schema, Optional<Set<String>> datacenters) {
        TableOptions.validateName("keyspace", s.name());
        if (schema.keyspace(s.name()).isPresent() || SystemKeyspaces.isSystemKeyspace(s.name())) {
            if (s.ifNotExists()) {
                return Change.none();
            }
            throw new CqlException.AlreadyExists(s.name(), "");
        }
        Map<String, String> replication = replication(s.name(), s.properties(), datacenters);
        boolean durable = booleanProperty(s.properties(), "durable_writes", true);
        for (String key : s.properties().keySet()) {
            // tags: Amazon Keyspaces' resource tags (accepted, not interpreted)
            if (!key.equals("replication") && !key.equals("durable_writes") && !key.equals("tags")) {
                throw CqlException.syntax("Unknown property '" + key + "'");
            }
        }
        KeyspaceMetadata ks = new KeyspaceMetadata(s.name(), replication, durable, Map.of(), Map.of());
        return new Change(Optional.of(schema.with(ks, SchemaService.newSchemaVersion())),
                SchemaEvent.keyspace(SchemaEvent.Change.CREATED, s.name()));
    }

    static Change dropKeyspace(DropKeyspace s, Schema schema) {
        if (SystemKeyspaces.isSystemKeyspace(s.name())) {
            throw CqlException.unauthorized("Cannot DROP <keyspace " + s.name() + ">: system keyspaces are not modifiable");
        }
        if (schema.keyspace(s.name()).isEmpty()) {
            if (s.ifExists()) {
                return Change.none();
            }
            throw CqlException.invalid("Keyspace '" + s.name() + "' doesn't exist");
        }
        schema.keyspace(s.name()).get().tables().values().forEach(t -> TableDdl.notRestoring(t, "dropped"));
        return new Change(Optional.of(schema.without(s.name(), SchemaService.newSchemaVersion())),
                SchemaEvent.keyspace(SchemaEvent.Change.DROPPED, s.name()));
    }

    /**
     * The replication options, as Cassandra 5.0 stores them: the class fully qualified; SimpleStrategy without
     * a factor gets default_keyspace_rf (1); NetworkTopologyStrategy's {@code replication_factor}, or no
     * factor at all, becomes one entry per data center of the cluster.
     */
    private static Map<String, String> replication(String keyspace, Map<String, Object> props,
            Optional<Set<String>> datacenters) {
        Object r = props.get("replication");
        if (!(r instanceof Map<?, ?> m)) {
            throw CqlException.syntax("Missing mandatory option 'replication'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        String cls = out.get("class");
        if (cls == null) {
            throw CqlException.config("Missing replication strategy class");
        }
        String shortName = cls.substring(cls.lastIndexOf('.') + 1);
        switch (shortName) {
            case "SimpleStrategy" -> {
                out.putIfAbsent("replication_factor", DEFAULT_KEYSPACE_RF);
                replicationFactor(out.get("replication_factor"));
                for (String option : out.keySet()) {
                    if (!option.equals("class") && !option.equals("replication_factor")) {
                        throw CqlException.config("Unrecognized strategy option {" + option + "} passed to SimpleStrategy "
                                + "for keyspace " + keyspace);
                    }
                }
                out.put("class", Replication.SIMPLE);
            }
            case "NetworkTopologyStrategy" -> {
                out.remove("class");
                String everywhere = out.remove("replication_factor");
                if (everywhere == null && out.isEmpty()) {
                    everywhere = DEFAULT_KEYSPACE_RF;
                }
                if (everywhere != null) {
                    replicationFactor(everywhere);
                    for (String dc : datacenters.orElse(Set.of())) {
                        out.putIfAbsent(dc, everywhere);
                    }
                }
                for (Map.Entry<String, String> dc : out.entrySet()) {
                    if (datacenters.isPresent() && !datacenters.get().contains(dc.getKey())) {
                        throw CqlException.config("Unrecognized strategy option {" + dc.getKey()
                                + "} passed to NetworkTopologyStrategy for keyspace " + keyspace);
                    }
                    replicationFactor(dc.getValue());
                }
                out.put("class", Replication.NETWORK_TOPOLOGY);
            }
            case Replication.SINGLE_REGION -> out.put("class", Replication.SINGLE_REGION);
            default -> throw CqlException.config("Unable to find replication strategy class '" + cls
                    + "' (supported: SimpleStrategy, NetworkTopologyStrategy, SingleRegionStrategy)");
        }
        return out;
    }

    private static void replicationFactor(String value) {
        try {
            if (Integer.parseInt(value.trim()) < 0) {
                throw CqlException.config("Replication factor must be non-negative; found " + value);
            }
        } catch (NumberFormatException e) {
            throw CqlException.config("Replication factor must be numeric; found " + value);
        }
    }

    /** ALTER KEYSPACE: new replication and/or durable_writes; tables and types stay. */
    static Change alterKeyspace(AlterKeyspace s, Schema schema, Optional<Set<String>> datacenters) {
        if (SystemKeyspaces.isSystemKeyspace(s.name())) {
            throw CqlException.unauthorized("Cannot ALTER <keyspace " + s.name() + ">: system keyspaces are not modifiable");
        }
        KeyspaceMetadata ks = schema.keyspace(s.name())
                .orElseThrow(() -> CqlException.invalid("Keyspace '" + s.name() + "' doesn't exist"));
        for (String key : s.properties().keySet()) {
            if (!key.equals("replication") && !key.equals("durable_writes") && !key.equals("tags")) {
                throw CqlException.syntax("Unknown property '" + key + "'");
            }
        }
        Map<String, String> replication = s.properties().containsKey("replication")
                ? replication(s.name(), s.properties(), datacenters) : ks.replication();
        boolean durable = booleanProperty(s.properties(), "durable_writes", ks.durableWrites());
        KeyspaceMetadata next = new KeyspaceMetadata(ks.name(), replication, durable, ks.tables(), ks.types());
        return new Change(Optional.of(schema.with(next, SchemaService.newSchemaVersion())),
                SchemaEvent.keyspace(SchemaEvent.Change.UPDATED, s.name()));
    }

    /** As Cassandra's PropertyDefinitions.getBoolean: 1/true/yes and 0/false/no. */
    private static boolean booleanProperty(Map<String, Object> props, String name, boolean def) {
        Object v = props.get(name);
        if (v == null) {
            return def;
        }
        return switch (String.valueOf(v).toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw CqlException.syntax("Invalid boolean value " + v + " for '" + name + "'. Positive values "
                    + "can be '1', 'true' or 'yes'. Negative values can be '0', 'false' or 'no'.");
        };
    }
}
