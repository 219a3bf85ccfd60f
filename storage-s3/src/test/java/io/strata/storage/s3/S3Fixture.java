package io.strata.storage.s3;

import java.util.Optional;
import java.util.UUID;
import org.gaul.s3proxy.junit.S3ProxyExtension;

/** Creates buckets on the in-process S3Proxy (a real S3-compatible HTTP server on loopback). */
final class S3Fixture {
    private S3Fixture() {}

    static S3ProxyExtension proxy() {
        return S3ProxyExtension.builder().withCredentials("access", "secret").build();
    }

    static S3BlobStore newBucket(S3ProxyExtension proxy) {
        String bucket = "strata-" + UUID.randomUUID().toString().substring(0, 8);
        S3Settings settings = new S3Settings(Optional.of(proxy.getUri()), "us-east-1", proxy.getAccessKey(),
                proxy.getSecretKey(), bucket, "zone-a/", true);
        S3BlobStore store = S3BlobStore.open(settings);
        try (var client = software.amazon.awssdk.services.s3.S3Client.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(proxy.getUri())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(proxy.getAccessKey(), proxy.getSecretKey())))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .forcePathStyle(true)
                .build()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        return store;
    }
}
