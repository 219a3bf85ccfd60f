package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests (deploy/kubernetes) and the podman topology (deploy/local) without a cluster: every document
 * parses and has the fields its kind requires (a hand-written subset of the Kubernetes schema: what a typo or a
 * refactoring breaks), selectors match the pods they select, every ConfigMap and Secret referenced is defined,
 * probes and resource limits are set, ports named in Services and probes exist, and both topologies configure the
 * same storage (three zones over S3). {@code podman kube play} runs deploy/local (LocalTopologyIT); podman 4.3 cannot
 * play StatefulSets or PodDisruptionBudgets, so the cluster manifests are checked here only.
 */
final class TestKubernetesManifests {
    private static final Path REPO = Path.of(System.getProperty("strata.repo.dir",
            Path.of(System.getProperty("strata.e2e.dir", ".")).resolve("../..").toString()));
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G)?");

    private static List<Map<String, Object>> cluster;
    private static List<Map<String, Object>> local;

    @BeforeAll
    static void load() throws IOException {
        cluster = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPO.resolve("deploy/kubernetes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                cluster.addAll(documents(f));
            }
        }
        local = documents(REPO.resolve("deploy/local/strata-zones.yaml"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            if (doc != null) {
                assertThat(doc).as("%s: a document is a mapping", file).isInstanceOf(Map.class);
                docs.add((Map<String, Object>) doc);
            }
        }
        assertThat(docs).as("%s has documents", file).isNotEmpty();
        return docs;
    }

    @Test
    void everyDocumentHasTheFieldsItsKindRequires() {
        for (Map<String, Object> doc : concat(cluster, local)) {
            String kind = str(doc, "kind");
            String name = str(doc, "metadata.name");
            assertThat(name).as("%s name", kind).matches(DNS_LABEL);
            switch (kind) {
                case "ConfigMap" -> {
                    assertThat(str(doc, "apiVersion")).isEqualTo("v1");
                    map(doc, "data").keySet().forEach(k -> assertThat(k).as("ConfigMap %s key", name).matches(ENV_NAME));
                }
                case "Secret" -> {
                    assertThat(str(doc, "apiVersion")).isEqualTo("v1");
                    assertThat(doc.get("data") != null || doc.get("stringData") != null).as("Secret %s data", name).isTrue();
                }
                case "Service" -> {
                    assertThat(str(doc, "apiVersion")).isEqualTo("v1");
                    assertThat(map(doc, "spec.selector")).isNotEmpty();
                    for (Map<String, Object> port : list(doc, "spec.ports")) {
                        assertThat(port).containsKeys("name", "port", "targetPort");
                    }
                }
                case "StatefulSet", "Deployment" -> checkWorkload(doc);
                case "Pod" -> checkPodSpec(name, map(doc, "spec"));
                case "PodDisruptionBudget" -> {
                    assertThat(str(doc, "apiVersion")).isEqualTo("policy/v1");
                    Map<String, Object> spec = map(doc, "spec");
                    assertThat(spec.containsKey("minAvailable") ^ spec.containsKey("maxUnavailable"))
                            .as("PDB %s: exactly one of minAvailable, maxUnavailable", name).isTrue();
                    assertThat(map(doc, "spec.selector.matchLabels")).isNotEmpty();
                }
                default -> throw new AssertionError("unexpected kind " + kind + " (" + name + ")");
            }
        }
    }

    private static void checkWorkload(Map<String, Object> doc) {
        String name = str(doc, "metadata.name");
        assertThat(str(doc, "apiVersion")).isEqualTo("apps/v1");
        Map<String, Object> selector = map(doc, "spec.selector.matchLabels");
        assertThat(map(doc, "spec.template.metadata.labels")).as("%s: the template carries the selector's labels", name)
                .containsAllEntriesOf(selector);
        if (str(doc, "kind").equals("StatefulSet")) {
            String service = str(doc, "spec.serviceName");
            assertThat(ofKind(cluster, "Service")).as("%s: its serviceName %s is a Service", name, service)
                    .anyMatch(s -> str(s, "metadata.name").equals(service));
            for (Map<String, Object> claim : list(doc, "spec.volumeClaimTemplates")) {
                assertThat(str(claim, "spec.resources.requests.storage")).matches(QUANTITY);
                assertThat(list(claim, "spec.accessModes")).isNotEmpty();
            }
        }
        checkPodSpec(name, map(doc, "spec.template.spec"));
    }

    private static void checkPodSpec(String owner, Map<String, Object> spec) {
        Set<String> volumes = new HashSet<>();
        for (Map<String, Object> v : list(spec, "volumes")) {
            volumes.add(str(v, "name"));
        }
        Object claims = spec.get("volumeClaimTemplates");
        assertThat(claims).isNull();
        for (Map<String, Object> c : list(spec, "containers")) {
            String name = owner + "/" + str(c, "name");
            assertThat(str(c, "image")).as("%s image", name).isNotBlank();
            for (Map<String, Object> e : list(c, "env")) {
                assertThat(str(e, "name")).as("%s env", name).matches(ENV_NAME);
                assertThat(e.containsKey("value") ^ e.containsKey("valueFrom")).as("%s env %s", name, e).isTrue();
            }
            for (Map<String, Object> m : list(c, "volumeMounts")) {
                assertThat(str(m, "mountPath")).startsWith("/");
            }
            if (c.containsKey("resources")) {
                assertThat(str(c, "resources.limits.memory")).as("%s memory limit", name).matches(QUANTITY);
            }
        }
    }

    @Test
    void theGatewayHasProbesLimitsANonRootUserAndAGracePeriodAboveItsDrain() {
        Map<String, Object> gateway = workload("strata");
        Map<String, Object> pod = map(gateway, "spec.template.spec");
        Map<String, Object> c = list(pod, "containers").get(0);
        assertThat(str(c, "readinessProbe.httpGet.path")).isEqualTo("/q/health/ready");
        assertThat(str(c, "livenessProbe.httpGet.path")).isEqualTo("/q/health/live");
        assertThat(str(c, "startupProbe.httpGet.path")).isEqualTo("/q/health/started");
        assertThat(str(c, "resources.limits.memory")).isNotBlank();
        assertThat(str(c, "resources.requests.cpu")).isNotBlank();
        assertThat(pod.get("securityContext")).asString().contains("runAsNonRoot=true", "runAsUser=185");
        Set<String> portNames = new HashSet<>();
        list(c, "ports").forEach(p -> portNames.add(str(p, "name")));
        assertThat(portNames).contains(str(c, "readinessProbe.httpGet.port"), str(c, "livenessProbe.httpGet.port"));
        for (Map<String, Object> svcPort : list(service("strata"), "spec.ports")) {
            assertThat(portNames).as("Service strata targets a named container port").contains(str(svcPort, "targetPort"));
        }

        Map<String, Object> config = map(ofName(cluster, "ConfigMap", "strata-config"), "data");
        long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
        long stopping = seconds(String.valueOf(config.get("QUARKUS_SHUTDOWN_DELAY")))
                + seconds(String.valueOf(config.get("STRATA_CQL_SHUTDOWN_DRAIN")));
        assertThat(grace).as("the grace period covers the readiness delay and the drain, with time to close storage")
                .isGreaterThan(stopping + 5);
        assertThat(config).containsEntry("STRATA_AUTH_DEV_TENANT", "false");
    }

    @Test
    void selectorsSelectPodsAndEveryReferencedConfigMapAndSecretIsDefined() {
        List<Map<String, Object>> templates = new ArrayList<>();
        for (Map<String, Object> w : concat(ofKind(cluster, "StatefulSet"), ofKind(cluster, "Deployment"))) {
            templates.add(map(w, "spec.template.metadata.labels"));
        }
        for (Map<String, Object> s : ofKind(cluster, "Service")) {
            assertThat(templates).as("Service %s selects a pod template", str(s, "metadata.name"))
                    .anyMatch(l -> l.entrySet().containsAll(map(s, "spec.selector").entrySet()));
        }
        for (Map<String, Object> pdb : ofKind(cluster, "PodDisruptionBudget")) {
            assertThat(templates).as("PDB %s selects a pod template", str(pdb, "metadata.name"))
                    .anyMatch(l -> l.entrySet().containsAll(map(pdb, "spec.selector.matchLabels").entrySet()));
        }
        assertThat(ofKind(cluster, "PodDisruptionBudget")).hasSize(2);

        for (List<Map<String, Object>> set : List.of(cluster, local)) {
            String text = set.toString();
            for (String ref : references(text, "configMapRef=\\{name=([a-z0-9-]+)")) {
                assertThat(ofKind(set, "ConfigMap")).as("ConfigMap %s", ref).anyMatch(m -> str(m, "metadata.name").equals(ref));
            }
            for (String ref : concat(references(text, "secretKeyRef=\\{name=([a-z0-9-]+)"),
                    references(text, "secretName=([a-z0-9-]+)"))) {
                assertThat(ofKind(set, "Secret")).as("Secret %s", ref).anyMatch(m -> str(m, "metadata.name").equals(ref));
            }
        }
        // a Secret key a container reads must be in the example
        for (Map<String, Object> w : ofKind(cluster, "StatefulSet")) {
            for (Map<String, Object> c : list(map(w, "spec.template.spec"), "containers")) {
                for (Map<String, Object> e : list(c, "env")) {
                    Object ref = e.get("valueFrom") instanceof Map<?, ?> v ? v.get("secretKeyRef") : null;
                    if (ref instanceof Map<?, ?> r) {
                        Map<String, Object> secret = ofName(cluster, "Secret", String.valueOf(r.get("name")));
                        assertThat(map(secret, "stringData")).containsKey(String.valueOf(r.get("key")));
                    }
                }
            }
        }
    }

    @Test
    void bothTopologiesConfigureThreeS3ZonesForTheGateway() {
        Map<String, Object> clusterConfig = map(ofName(cluster, "ConfigMap", "strata-config"), "data");
        Map<String, Object> localConfig = map(ofName(local, "ConfigMap", "strata-local-config"), "data");
        for (Map<String, Object> config : List.of(clusterConfig, localConfig)) {
            assertThat(config).containsEntry("STRATA_STORAGE_TYPE", "s3").containsEntry("STRATA_STORAGE_S3_PATH_STYLE", "true");
            assertThat(String.valueOf(config.get("STRATA_STORAGE_S3_BUCKETS")).split(",")).hasSize(3).doesNotHaveDuplicates();
            assertThat(String.valueOf(config.get("STRATA_STORAGE_S3_ENDPOINTS")).split(",")).hasSize(3)
                    .doesNotHaveDuplicates().allMatch(u -> u.startsWith("http://"));
        }
        assertThat(((Number) map(workload("strata-zone"), "spec").get("replicas")).intValue()).isEqualTo(3);
        Map<String, Object> pod = ofKind(local, "Pod").get(0);
        assertThat(list(pod, "spec.containers")).extracting(c -> c.get("name"))
                .containsExactlyInAnyOrder("zone-a", "zone-b", "zone-c", "gateway");
        // the local pod publishes only the gateway, and only on loopback
        for (Map<String, Object> c : list(pod, "spec.containers")) {
            for (Map<String, Object> p : list(c, "ports")) {
                assertThat(c.get("name")).isEqualTo("gateway");
                assertThat(p).containsEntry("hostIP", "127.0.0.1");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> workload(String name) {
        return ofName(cluster, "StatefulSet", name);
    }

    private static Map<String, Object> service(String name) {
        return ofName(cluster, "Service", name);
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> ofName(List<Map<String, Object>> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name.equals(str(d, "metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> references(String text, String regex) {
        List<String> out = new ArrayList<>();
        var m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static long seconds(String duration) {
        assertThat(duration).matches("[0-9]+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }

    private static Object at(Map<String, Object> doc, String path) {
        Object cur = doc;
        for (String part : path.split("\\.")) {
            assertThat(cur).as("%s: %s", path, part).isInstanceOf(Map.class);
            cur = ((Map<?, ?>) cur).get(part);
            assertThat(cur).as("missing %s in %s", path, doc.getOrDefault("metadata", doc)).isNotNull();
        }
        return cur;
    }

    private static String str(Map<String, Object> doc, String path) {
        return Objects.toString(at(doc, path));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> doc, String path) {
        Object v = at(doc, path);
        assertThat(v).as(path).isInstanceOf(Map.class);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> doc, String path) {
        Object v = doc.get(path.contains(".") ? null : path);
        if (path.contains(".")) {
            v = at(doc, path);
        }
        if (v == null) {
            return List.of();
        }
        assertThat(v).as(path).isInstanceOf(List.class);
        return (List<Map<String, Object>>) v;
    }
}
