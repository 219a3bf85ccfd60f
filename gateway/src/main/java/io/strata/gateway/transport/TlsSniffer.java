package io.strata.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The first handler of a connection on a TLS-enabled CQL port: it looks at the first byte the client
 * sends and replaces itself with an {@link SslHandler} when that byte opens a TLS handshake record
 * ({@code 0x16}), or removes itself otherwise. Either way the bytes it buffered flow on unchanged, to
 * the SSL handler or to the connection. A CQL frame never starts with {@code 0x16}: its first byte is
 * the protocol version (3 to 5, or 1 to 66 from a confused client). Not sharable; runs on the
 * connection's event loop.
 */
final class TlsSniffer extends ByteToMessageDecoder {
    static final String NAME = "strata-tls-sniffer";
    static final String SSL_HANDLER = "strata-tls";
    private static final Logger LOG = Logger.getLogger(TlsSniffer.class);
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final SslContext context;

    TlsSniffer(SslContext context) {
        this.context = context;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD) {
            SslHandler ssl = context.newHandler(ctx.alloc());
            ssl.handshakeFuture().addListener(done -> {
                if (!done.isSuccess()) {
                    LOG.debugf("TLS handshake with %s failed: %s", ctx.channel().remoteAddress(), done.cause());
                }
            });
            ctx.pipeline().replace(this, SSL_HANDLER, ssl);
        } else {
            ctx.pipeline().remove(this);
        }
    }
}
