package io.strata.tenancy.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What a token sees in schema listings: {@link AccessPolicy#sees} and {@link AccessPolicy#seesKeyspace}. */
final class TestAccessPolicyVisibility {
    private static AccessPolicy policy(String grants) {
        return AccessPolicy.parse(List.of(grants.split(" ")));
    }

    @ParameterizedTest(name = "{0} sees table {1}.{2}: {3}")
    @CsvSource(delimiter = ';', value = {
        "SELECT:app.orders;app;orders;true",
        "SELECT:app.orders;app;secret;false",
        "SELECT:app.orders;other;orders;false",
        "MODIFY:app;app;secret;true",
        "DESCRIBE:app;app;orders;true",
        "SELECT:*;other;t;true",
        "SELECT:app.ord*;app;orders;true",
        "SELECT:app.ord*;app;secret;false",
        "SELECT:*.orders;other;orders;true",
        "SELECT:*.orders;other;secret;false",
        "CREATE:app_*;app_x;t;true",
        "CREATE:app_*;app;t;false",
        "SELECT:app.orders DROP:other.t;other;t;true",
    })
    void tables(String grants, String keyspace, String table, boolean sees) {
        assertThat(policy(grants).sees(keyspace, table)).isEqualTo(sees);
    }

    @ParameterizedTest(name = "{0} sees keyspace {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "SELECT:app.orders;app;true",      // a table grant shows its keyspace (drivers need its row)
        "SELECT:app.orders;other;false",
        "ALTER:app;app;true",
        "SELECT:*;anything;true",
        "SELECT:*.orders;other;true",      // any keyspace may hold an orders table
        "SELECT:app_*.t;app_1;true",
        "SELECT:app_*.t;ap;false",
        "SELECT:app_*;app;false",
    })
    void keyspaces(String grants, String keyspace, boolean sees) {
        assertThat(policy(grants).seesKeyspace(keyspace)).isEqualTo(sees);
    }

    @Test
    void allSeesEverything() {
        assertThat(AccessPolicy.ALL.seesKeyspace("app")).isTrue();
        assertThat(AccessPolicy.ALL.sees("app", "secret")).isTrue();
        assertThat(policy("ALL:*").sees("x", "y")).isTrue();
    }

    @Test
    void aPolicyWithoutGrantsSeesNothing() {
        AccessPolicy none = new AccessPolicy(List.of());
        assertThat(none.seesKeyspace("app")).isFalse();
        assertThat(none.sees("app", "orders")).isFalse();
    }
}
