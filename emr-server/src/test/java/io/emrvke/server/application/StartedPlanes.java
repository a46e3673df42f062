package io.emrvke.server.application;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Hands a test class its started control plane: every field of type {@link ActionPlane} or
 * {@link RayPlane} (static, or of the instance) is set before the class's {@code @BeforeAll}
 * methods run, and the plane is closed by JUnit when it is no longer needed (it is an
 * {@link AutoCloseable} value of an extension store). Annotate the class with {@link Own} or {@link Shared}.
 */
final class StartedPlanes implements BeforeAllCallback, TestInstancePostProcessor {
    private static final Namespace NAMESPACE = Namespace.create(StartedPlanes.class);
    private static final Map<Class<?>, Callable<AutoCloseable>> STARTERS = Map.of(
            ActionPlane.class, ActionPlane::start,
            RayPlane.class, RayPlane::start);

    /** A plane started for this class alone, closed after its last test. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(StartedPlanes.class)
    @interface Own {
    }

    /**
     * The one plane of the test run, reused by every class so annotated and closed when the run ends. Only for
     * classes that act on clusters of their own and read account-wide figures as differences within one test
     * (classes run one after another), never for a class that changes the server itself.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(StartedPlanes.class)
    @interface Shared {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        inject(context, null);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws Exception {
        inject(context, testInstance);
    }

    /** Static fields when {@code instance} is null, else the instance's fields. */
    private static void inject(ExtensionContext context, Object instance) throws Exception {
        ExtensionContext classContext = classLevel(context);
        for (Field field : classContext.getRequiredTestClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) == (instance == null) && STARTERS.containsKey(field.getType())) {
                field.setAccessible(true);
                field.set(instance, plane(classContext, field.getType()));
            }
        }
    }

    private static Object plane(ExtensionContext classContext, Class<?> type) {
        boolean shared = classContext.getRequiredTestClass().isAnnotationPresent(Shared.class);
        ExtensionContext owner = shared ? classContext.getRoot() : classContext;
        return owner.getStore(NAMESPACE).computeIfAbsent(type, t -> start(STARTERS.get(t)));
    }

    private static AutoCloseable start(Callable<AutoCloseable> starter) {
        try {
            return starter.call();
        } catch (Exception e) {
            throw new IllegalStateException("the plane did not start", e);
        }
    }

    /** The context of the test class (a test method's context hangs below it). */
    private static ExtensionContext classLevel(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent()) {
            c = c.getParent().orElseThrow();
        }
        return c;
    }
}
