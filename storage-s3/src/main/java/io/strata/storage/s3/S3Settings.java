package io.strata.storage.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * Where one S3 zone lives: an endpoint (empty = AWS's regional endpoint), region, credentials, bucket,
 * a key prefix inside the bucket, and path-style addressing (MinIO, S3Proxy). Immutable.
 */
public record S3Settings(Optional<URI> endpoint, String region, String accessKey, String secretKey, String bucket,
        String prefix, boolean pathStyle) {
    public S3Settings {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(accessKey, "accessKey is null");
        requireNonNull(secretKey, "secretKey is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
    }

    @Override
    public String toString() {
        // never print the secret
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", region=" + region + ", bucket="
                + bucket + ", prefix=" + prefix + ", pathStyle=" + pathStyle + "]";
    }
}
