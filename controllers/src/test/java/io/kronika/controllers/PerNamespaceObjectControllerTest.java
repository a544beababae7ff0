package io.kronika.controllers;

import io.kronika.controllers.core.RootCaCertPublisher;
import io.kronika.controllers.core.ServiceAccountController;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.kronika.controllers.testing.Objects.cached;
import static org.assertj.core.api.Assertions.assertThat;

/** Which changes wake a namespace of the per-namespace controllers: the namespace itself, and their object as each wants. */
class PerNamespaceObjectControllerTest {
    private static final String NS_KEY = io.kronika.schemas.ObjectKeys.of("", "Namespace", "", "team");

    @Test
    void theRootCaPublisherWakesOnAnyChangeOfKubeRootCaButNotOfOtherConfigMaps() {
        Controller publisher = new RootCaCertPublisher("ca");
        CachedObject published = object("ConfigMap", RootCaCertPublisher.CONFIG_MAP);
        assertThat(woken(publisher, new ClusterCache.Change(published.key(), published, published))).containsExactly(NS_KEY);
        assertThat(woken(publisher, new ClusterCache.Change(published.key(), published, null))).containsExactly(NS_KEY);
        CachedObject other = object("ConfigMap", "settings");
        assertThat(woken(publisher, new ClusterCache.Change(other.key(), null, other))).isEmpty();
        assertThat(woken(publisher, namespaceChange())).containsExactly(NS_KEY);
    }

    @Test
    void theServiceAccountControllerWakesOnlyWhenTheDefaultAccountIsDeleted() {
        Controller accounts = new ServiceAccountController();
        CachedObject account = object("ServiceAccount", ServiceAccountController.DEFAULT);
        assertThat(woken(accounts, new ClusterCache.Change(account.key(), account, null))).containsExactly(NS_KEY);
        assertThat(woken(accounts, new ClusterCache.Change(account.key(), null, account))).isEmpty();
        CachedObject builder = object("ServiceAccount", "builder");
        assertThat(woken(accounts, new ClusterCache.Change(builder.key(), builder, null))).isEmpty();
        assertThat(woken(accounts, namespaceChange())).containsExactly(NS_KEY);
    }

    private static List<String> woken(Controller controller, ClusterCache.Change change) {
        List<String> keys = new ArrayList<>();
        controller.onChange(change, keys::add);
        return keys;
    }

    private static ClusterCache.Change namespaceChange() {
        CachedObject ns = cached("", "Namespace", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team\"}}");
        return new ClusterCache.Change(ns.key(), null, ns);
    }

    private static CachedObject object(String kind, String name) {
        return cached("", kind, "{\"apiVersion\":\"v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"team\"}}");
    }
}
