package io.emrvke.server.sandbox.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every object of refused-objects.yaml, {@link Admission} answers what a real API server answered
 * (api-server-answers.yaml, captured by AdmissionAgreesWithARealApiServerTest): the same 400 message, or the
 * same 422 causes (field, reason, message) in the same order and the same Status message. The valid objects
 * the cases start from are accepted.
 */
class AdmissionRefusesWhatTheApiServerRefusesTest {
    private static final String NAMESPACE = "team-a";

    static Stream<RefusedObjects.Case> cases() {
        return RefusedObjects.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsTheApiServerAnswered(RefusedObjects.Case c) {
        RefusedObjects.Answer answer = RefusedObjects.answers().get(c.name());
        assertThat(answer).as("an answer captured from a real API server").isNotNull();
        ObjectNode object = c.asValidated(namespaceOf(c.object()), c.generatedName());
        ObjectNode old = c.old() == null ? null : new RefusedObjects.Case(c.name(), c.old(), null, null)
                .asValidated(namespaceOf(c.old()), null);

        if (answer.badRequest() != null) {
            assertThat(Admission.decodeError(object)).contains(answer.badRequest());
            assertThat(Admission.refusal(object, old)).get().extracting(s -> s.get("code").asInt()).isEqualTo(400);
            return;
        }
        assertThat(Admission.decodeError(object)).isEmpty();
        assertThat(Admission.check(object, old)).isEqualTo(answer.causes());
        JsonNode status = Admission.refusal(object, old).orElseThrow();
        assertThat(status.get("message").asText()).isEqualTo(answer.message());
        assertThat(status.get("reason").asText()).isEqualTo("Invalid");
        assertThat(status.get("code").asInt()).isEqualTo(422);
        assertThat(status.at("/details/name").asText()).isEqualTo(object.at("/metadata/name").asText());
    }

    @Test
    void theObjectsTheCasesStartFromAreAccepted() {
        RefusedObjects.bases().forEach((name, base) -> accepted(name, base));
        RefusedObjects.cases().stream().filter(c -> c.old() != null).forEach(c -> accepted(c.name(), c.old()));
    }

    private static void accepted(String what, ObjectNode valid) {
        ObjectNode object = new RefusedObjects.Case(what, valid, null, null).asValidated(namespaceOf(valid), null);
        assertThat(Admission.refusal(object, null)).as(what).isEmpty();
        assertThat(Admission.refusal(object, object)).as(what + ", updated unchanged").isEmpty();
    }

    /**
     * The API server would refuse such JSON while decoding it; the check must not throw on it either way: every
     * member of every object of the table replaced in turn by text, a negative number, a list and an object.
     */
    @Test
    void aMemberOfAnUnexpectedTypeNeverMakesTheCheckThrow() {
        List<JsonNode> odd = List.of(RefusedObjects.YAML.getNodeFactory().textNode("x"),
                RefusedObjects.YAML.getNodeFactory().numberNode(-1), RefusedObjects.YAML.createArrayNode().add(1),
                RefusedObjects.YAML.createObjectNode().put("a", 1));
        Map<String, ObjectNode> objects = new java.util.LinkedHashMap<>(RefusedObjects.bases());
        RefusedObjects.cases().forEach(c -> objects.put(c.name(), c.object().deepCopy()));
        objects.forEach((name, object) -> everyMember(object, object, (root, parent, key) -> {
            JsonNode before = parent.get(key);
            for (JsonNode value : odd) {
                parent.set(key, value);
                assertThatCode(() -> Admission.refusal(root, name.contains(" ") ? null : root))
                        .as("%s with %s=%s", name, key, value).doesNotThrowAnyException();
            }
            parent.set(key, before);
        }));
    }

    private interface Member {
        void visit(ObjectNode root, ObjectNode parent, String key);
    }

    private static void everyMember(ObjectNode root, JsonNode node, Member visit) {
        if (node.isObject()) {
            List<String> keys = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                everyMember(root, node.get(key), visit);
                visit.visit(root, (ObjectNode) node, key);
            }
        } else if (node.isArray()) {
            node.forEach(e -> everyMember(root, e, visit));
        }
    }

    @Test
    void aStatusListsEachCauseOnceAndBracketsSeveral() {
        Cause name = new Cause(Cause.REQUIRED, "metadata.name", "Required value: name or generateName is required");
        Cause image = new Cause(Cause.REQUIRED, "spec.containers[0].image", "Required value");

        JsonNode one = Admission.invalidStatus("", "Pod", "p", List.of(image, image));
        JsonNode two = Admission.invalidStatus("apps", "Deployment", "d", List.of(name, image));

        assertThat(one.get("message").asText()).isEqualTo("Pod \"p\" is invalid: spec.containers[0].image: Required value");
        assertThat(one.at("/details/causes")).hasSize(2);
        assertThat(one.at("/details/group").isMissingNode()).isTrue();
        assertThat(two.get("message").asText()).isEqualTo("Deployment.apps \"d\" is invalid: [metadata.name: Required"
                + " value: name or generateName is required, spec.containers[0].image: Required value]");
        assertThat(two.at("/details/group").asText()).isEqualTo("apps");
        assertThat(two.at("/details/causes/1/field").asText()).isEqualTo("spec.containers[0].image");
    }

    @Test
    void kindsItDoesNotKnowAreLeftToTheStore() {
        ObjectNode event = RefusedObjects.YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
        event.putObject("metadata").put("name", "Not_A_Name");

        assertThat(Admission.refusal(event, null)).isEmpty();
    }

    private static String namespaceOf(JsonNode object) {
        return object.get("kind").asText().equals("Namespace") ? null : NAMESPACE;
    }
}
