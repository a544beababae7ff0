package io.kronika.schemas.auth;

import io.kronika.schemas.Command;
import io.kronika.schemas.CommandSignature;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Component credentials for commands written straight to Kafka: each principal ({@code system:node:node-1},
 * {@code system:kube-scheduler}, …) has a key derived from the cluster's component master key
 * (HMAC-SHA256(master, principal)), and signs each command with HMAC-SHA256 over the command's Avro binary form without
 * the signature. The admission processor, holding the master key, derives the same key and verifies. A component holds
 * only its own derived key, so it cannot sign as another.
 */
public final class ComponentCredentials {
    /** The principal of the all-in-one process and the gateway: trusted to assert the users it has authenticated. */
    public static final String TRUSTED = "system:kronika";
    public static final String NODE_PREFIX = "system:node:";

    private ComponentCredentials() {
    }

    public static byte[] derive(byte[] master, String principal) {
        return hmac(master, principal.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of {@code command} signed for {@code principal}. */
    public static Command sign(Command command, String principal, byte[] key) {
        Command signed = Command.newBuilder(command).setSignature(null).build();
        byte[] mac = hmac(key, canonical(signed));
        signed.setSignature(new CommandSignature(principal, ByteBuffer.wrap(mac)));
        return signed;
    }

    /** The principal whose signature on {@code command} verifies with a key derived from {@code master}, or null. */
    public static String verifiedPrincipal(Command command, byte[] master) {
        CommandSignature signature = command.getSignature();
        if (signature == null || signature.getPrincipal().isEmpty()) {
            return null;
        }
        Command unsigned = Command.newBuilder(command).setSignature(null).build();
        byte[] expected = hmac(derive(master, signature.getPrincipal()), canonical(unsigned));
        ByteBuffer given = signature.getMac().duplicate();
        byte[] mac = new byte[given.remaining()];
        given.get(mac);
        return MessageDigest.isEqual(expected, mac) ? signature.getPrincipal() : null;
    }

    private static byte[] canonical(Command command) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(Command.class).write(command, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
