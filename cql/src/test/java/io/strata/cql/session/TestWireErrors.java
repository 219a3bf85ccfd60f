package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.Error;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.StorageOverloadedException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Storage failures as the client sees them. */
class TestWireErrors {
    @Test
    void aTenantsFullQueueIsOverloadedWithItsMessage() {
        var overloaded = new StorageOverloadedException("tenant acme has too many reads queued; retry later");
        Error e = (Error) WireMessages.error(new CompletionException(overloaded));
        assertThat(e.code).isEqualTo(ProtocolConstants.ErrorCode.OVERLOADED);
        assertThat(e.message).isEqualTo("tenant acme has too many reads queued; retry later");
    }

    @Test
    void otherStorageFailuresStayServerErrors() {
        Error e = (Error) WireMessages.error(new StorageException("disk on fire"));
        assertThat(e.code).isEqualTo(ProtocolConstants.ErrorCode.SERVER_ERROR);
        assertThat(e.message).doesNotContain("disk on fire");
    }
}
