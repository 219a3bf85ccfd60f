package io.strata.storage.s3;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.NoSuchBlobException;
import io.strata.storage.spi.blob.PreconditionFailedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link BlobStore} on an S3-compatible bucket (AWS SDK v2, URL-connection HTTP client).
 *
 * <p>Conditional puts use {@code If-None-Match: *} (CREATE_IF_ABSENT) and {@code If-Match: <etag>}
 * (IF_MATCH); a 412 becomes {@link PreconditionFailedException}. Some servers answer 412 before reading
 * the body, which the client may see as an I/O error although the outcome was decided: after an I/O
 * error on a conditional put the store reads the object back and reports success only if it holds
 * exactly this put's bytes. Large unconditional puts use multipart upload; ranged reads use
 * {@code Range}; the SDK retries transient failures with backoff. Blocking calls run on the store's own
 * pool. Thread-safe.
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);
    static final int MULTIPART_THRESHOLD = 8 * 1024 * 1024;
    static final int PART_SIZE = 8 * 1024 * 1024;
    static final int MAX_ATTEMPTS = 4;

    /**
     * Drops {@code Expect: 100-continue}, which the SDK adds to PUTs. With the JDK's HTTP client a
     * server that closes an idle keep-alive connection makes the 100-continue wait fail with
     * "Unexpected end of file", and servers that answer a conditional PUT before reading its body turn
     * the expectation into an I/O error; sending the (small) body at once avoids both.
     */
    static final class NoExpectContinue implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
        @Override
        public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
                software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            var request = context.httpRequest();
            return request.firstMatchingHeader("Expect").isPresent()
                    ? request.toBuilder().removeHeader("Expect").build()
                    : request;
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ExecutorService io;

    public S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.io = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "strata-s3-io");
            t.setDaemon(true);
            return t;
        });
    }

    /** A client for the settings; the caller closes the store, which closes the client. */
    public static S3BlobStore open(S3Settings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(settings.accessKey().isEmpty()
                        ? software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(java.time.Duration.ofSeconds(5))
                        .socketTimeout(java.time.Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o
                        .retryStrategy(b -> b.maxAttempts(MAX_ATTEMPTS))
                        .addExecutionInterceptor(new NoExpectContinue()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
                        .checksumValidationEnabled(true).build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new S3BlobStore(builder.build(), settings.bucket(), settings.prefix());
    }

    private String k(String key) {
        return prefix + key;
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, io);
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    @Override
    public CompletionStage<Optional<BlobInfo>> head(String key) {
        return async(() -> {
            try {
                HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(k(key)));
                return Optional.of(new BlobInfo(key, h.contentLength(), unquote(h.eTag())));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public CompletionStage<byte[]> read(String key, long offset, int length) {
        if (length == 0) {
            return head(key).thenApply(h -> {
                h.orElseThrow(() -> new NoSuchBlobException(key));
                return new byte[0];
            });
        }
        return async(() -> {
            try {
                ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(k(key))
                        .range("bytes=" + offset + "-" + (offset + length - 1)));
                byte[] data = r.asByteArray();
                // servers that ignore Range return the whole object
                if (data.length > length || (offset > 0 && r.response().contentRange() == null)) {
                    return Arrays.copyOfRange(data, (int) Math.min(offset, data.length),
                            (int) Math.min(offset + length, data.length));
                }
                return data;
            } catch (NoSuchKeyException e) {
                throw new NoSuchBlobException(key);
            } catch (S3Exception e) {
                if (e.statusCode() == 416) {
                    return new byte[0];
                }
                if (e.statusCode() == 404) {
                    throw new NoSuchBlobException(key);
                }
                throw e;
            }
        });
    }

    @Override
    public CompletionStage<byte[]> readAll(String key) {
        return async(() -> readNow(key));
    }

    private byte[] readNow(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(k(key))).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new NoSuchBlobException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchBlobException(key);
            }
            throw e;
        }
    }

    @Override
    public CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
        return async(() -> {
            if (mode instanceof PutMode.Overwrite && content.length > MULTIPART_THRESHOLD) {
                return multipart(key, content);
            }
            PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(k(key))
                    .contentLength((long) content.length);
            if (mode instanceof PutMode.CreateIfAbsent) {
                req.ifNoneMatch("*");
            } else if (mode instanceof PutMode.IfMatch m) {
                req.ifMatch("\"" + m.etag() + "\"");
            }
            try {
                var r = s3.putObject(req.build(), RequestBody.fromBytes(content));
                return new BlobInfo(key, content.length, unquote(r.eTag()));
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    // A 412 may answer the SDK's retry of our own attempt that landed (its response was lost):
                    // the stored bytes tell whether this put won.
                    return readBackOrLose(key, content, e);
                }
                throw e;
            } catch (SdkClientException e) {
                if (mode instanceof PutMode.Overwrite) {
                    throw e;
                }
                // The outcome may have been decided before the error: the stored bytes tell.
                LOG.debugf(e, "I/O error on a conditional put of %s; reading back to decide", key);
                return readBackOrLose(key, content, e);
            }
        });
    }

    /**
     * Streams a file: unconditional puts above the multipart threshold upload it part by part (one part in
     * memory at a time), smaller ones from the file; conditional puts read it whole, since deciding an
     * inconclusive outcome compares the stored bytes.
     */
    @Override
    public CompletionStage<BlobInfo> put(String key, java.nio.file.Path file, PutMode mode) {
        if (!(mode instanceof PutMode.Overwrite)) {
            return BlobStore.super.put(key, file, mode);
        }
        return async(() -> {
            try {
                long size = java.nio.file.Files.size(file);
                if (size > MULTIPART_THRESHOLD) {
                    return multipart(key, file, size);
                }
                var r = s3.putObject(PutObjectRequest.builder().bucket(bucket).key(k(key)).contentLength(size).build(),
                        RequestBody.fromFile(file));
                return new BlobInfo(key, size, unquote(r.eTag()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private BlobInfo multipart(String key, java.nio.file.Path file, long size) throws java.io.IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(k(key))).uploadId();
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            int part = 1;
            for (long off = 0; off < size; off += PART_SIZE, part++) {
                int len = (int) Math.min(PART_SIZE, size - off);
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(len);
                while (buf.hasRemaining()) {
                    if (in.read(buf, off + buf.position()) < 0) {
                        throw new java.io.EOFException("file " + file + " shrank while uploading");
                    }
                }
                buf.flip();
                int partNumber = part;
                var r = s3.uploadPart(b -> b.bucket(bucket).key(k(key)).uploadId(uploadId).partNumber(partNumber)
                        .contentLength((long) len), RequestBody.fromByteBuffer(buf));
                parts.add(CompletedPart.builder().partNumber(part).eTag(r.eTag()).build());
            }
            var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key(k(key)).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            return new BlobInfo(key, size, unquote(done.eTag()));
        } catch (RuntimeException | java.io.IOException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(k(key)).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /** Success if the blob holds exactly {@code content} (this put won), else the condition was lost. */
    private BlobInfo readBackOrLose(String key, byte[] content, RuntimeException cause) {
        byte[] stored;
        try {
            stored = readNow(key);
        } catch (NoSuchBlobException missing) {
            if (cause instanceof S3Exception) {
                throw new PreconditionFailedException("conditional put of '" + key + "' lost");
            }
            throw cause;
        }
        if (Arrays.equals(stored, content)) {
            return head(key).toCompletableFuture().join().orElseThrow(() -> new StorageException("blob vanished: " + key));
        }
        throw new PreconditionFailedException("conditional put of '" + key + "' lost");
    }

    private BlobInfo multipart(String key, byte[] content) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(k(key))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int part = 1, off = 0; off < content.length; part++, off += PART_SIZE) {
                int len = Math.min(PART_SIZE, content.length - off);
                int partNumber = part;
                var r = s3.uploadPart(b -> b.bucket(bucket).key(k(key)).uploadId(uploadId).partNumber(partNumber)
                        .contentLength((long) len), RequestBody.fromBytes(Arrays.copyOfRange(content, off, off + len)));
                parts.add(CompletedPart.builder().partNumber(part).eTag(r.eTag()).build());
            }
            var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key(k(key)).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            return new BlobInfo(key, content.length, unquote(done.eTag()));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(k(key)).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public CompletionStage<List<BlobInfo>> list(String keyPrefix, String startAfter, int max) {
        return async(() -> {
            List<BlobInfo> out = new ArrayList<>();
            String token = null;
            do {
                String continuation = token;
                ListObjectsV2Response r = s3.listObjectsV2(b -> {
                    b.bucket(bucket).prefix(k(keyPrefix)).maxKeys(Math.min(1000, max - out.size()));
                    if (continuation != null) {
                        b.continuationToken(continuation);
                    } else if (startAfter != null) {
                        b.startAfter(k(startAfter));
                    }
                });
                for (S3Object o : r.contents()) {
                    if (out.size() < max) {
                        out.add(new BlobInfo(o.key().substring(prefix.length()), o.size(), unquote(o.eTag())));
                    }
                }
                token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            } while (token != null && out.size() < max);
            return out;
        });
    }

    /** Keys per DeleteObjects request, S3's limit. */
    static final int DELETE_BATCH = 1000;

    /** False once the server refused DeleteObjects (some S3-compatible stores lack it): then one DELETE per key. */
    private volatile boolean multiDelete = true;

    /**
     * Deletes in batches of {@link #DELETE_BATCH} keys per DeleteObjects request: a flushed commit log on S3 is one
     * object per group commit, and deleting them one request each used to cost as many requests as writing them.
     */
    @Override
    public CompletionStage<Void> delete(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        return async(() -> {
            for (int from = 0; from < all.size(); from += DELETE_BATCH) {
                List<String> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
                if (batch.size() == 1 || !multiDelete || !deleteBatch(batch)) {
                    batch.forEach(this::deleteOne);
                }
            }
            return null;
        });
    }

    /** One DeleteObjects request; false if the server does not implement it. Missing keys count as deleted. */
    private boolean deleteBatch(List<String> batch) {
        List<ObjectIdentifier> ids = batch.stream().map(key -> ObjectIdentifier.builder().key(k(key)).build()).toList();
        DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
        } catch (S3Exception e) {
            if (e.statusCode() == 501 || (e.statusCode() == 400 && "NotImplemented".equals(code(e)))) {
                LOG.warnf("%s does not implement DeleteObjects (%s); deleting one key per request", bucket,
                        e.getMessage());
                multiDelete = false;
                return false;
            }
            throw e;
        }
        List<S3Error> failed = response.errors().stream().filter(e -> !"NoSuchKey".equals(e.code())).toList();
        if (!failed.isEmpty()) {
            S3Error first = failed.get(0);
            throw new StorageException("could not delete " + failed.size() + " of " + batch.size() + " blobs in "
                    + bucket + "; first " + first.key() + ": " + first.code() + " " + first.message());
        }
        return true;
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private void deleteOne(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(k(key)));
        } catch (NoSuchKeyException e) {
            // deleting a missing blob is a no-op
        }
    }

    @Override
    public void close() {
        io.shutdown();
        s3.close();
    }
}
