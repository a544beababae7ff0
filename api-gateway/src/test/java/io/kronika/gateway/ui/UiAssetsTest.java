package io.kronika.gateway.ui;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UiAssetsTest {
    @TempDir
    Path classpath;

    private UiAssets assets() throws IOException {
        Path root = classpath.resolve("kronika-ui");
        Files.createDirectories(root.resolve("assets"));
        Files.writeString(root.resolve("index.html"), "<!doctype html><div id=root></div>");
        Files.writeString(root.resolve("assets/index-abc.js"), "console.log(1)");
        Files.writeString(root.resolve("assets/index-abc.css"), "body{}");
        return UiAssets.fromClasspath(new URLClassLoader(new URL[]{classpath.toUri().toURL()}, null));
    }

    private static String text(Reply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    @Test
    void servesFilesWithTheirContentTypes() throws IOException {
        UiAssets assets = assets();
        assertThat(assets.installed()).isTrue();
        Reply index = assets.serve("");
        assertThat(index.code()).isEqualTo(200);
        assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(text(index)).contains("id=root");
        assertThat(assets.serve("assets/index-abc.js").contentType()).startsWith("application/javascript");
        assertThat(text(assets.serve("assets/index-abc.js"))).isEqualTo("console.log(1)");
        assertThat(assets.serve("assets/index-abc.css").contentType()).startsWith("text/css");
    }

    @Test
    void pagePathsFallBackToIndexButMissingFilesAre404() throws IOException {
        UiAssets assets = assets();
        Reply page = assets.serve("r/apps/deployments/default/web");
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(text(page)).contains("id=root");
        assertThatThrownBy(() -> assets.serve("assets/missing.js")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(404));
        assertThatThrownBy(() -> assets.serve("../secret.txt")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void withoutTheDashboardJarEveryPathIsA404SayingSo() throws IOException {
        UiAssets assets = UiAssets.fromClasspath(new URLClassLoader(new URL[]{classpath.toUri().toURL()}, null));
        assertThat(assets.installed()).isFalse();
        assertThatThrownBy(() -> assets.serve("")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(404);
            assertThat(e.getMessage()).contains("kronika-dashboard");
        });
    }
}
