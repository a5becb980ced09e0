package dev.helmsdk.examples;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders the public API of a set of classes as canonical text, one type after another in binary-name order, in the
 * spirit of Kotlin's binary-compatibility-validator {@code .api} files: what a caller compiled against the module can
 * see (public and protected members of public types outside {@code internal} packages), with generic signatures, so
 * that a diff of two listings is a list of API changes.
 *
 * <p>Public types under {@code internal} packages are listed apart, by name only: they are not API, but while the
 * module system cannot hide them their number should be visible (and shrink).
 */
final class ApiListing {

    private static final int TYPE_MODIFIERS = Modifier.PUBLIC | Modifier.PROTECTED | Modifier.ABSTRACT
            | Modifier.STATIC | Modifier.FINAL;
    // Separate masks: in a method's flags, the bits of volatile and transient mean bridge and varargs.
    private static final int FIELD_MODIFIERS = Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
            | Modifier.FINAL | Modifier.VOLATILE | Modifier.TRANSIENT;
    private static final int EXECUTABLE_MODIFIERS = Modifier.PUBLIC | Modifier.PROTECTED | Modifier.ABSTRACT
            | Modifier.STATIC | Modifier.FINAL;

    private ApiListing() {
    }

    /** The listing of {@code types} (any visibility; this picks the visible ones), headed by {@code header} lines. */
    static String render(List<String> header, List<Class<?>> types) {
        List<Class<?>> visible = types.stream().filter(ApiListing::isVisible)
                .sorted(Comparator.comparing(Class::getName)).toList();
        List<Class<?>> api = visible.stream().filter(t -> !isInternal(t)).toList();
        List<Class<?>> internal = visible.stream().filter(ApiListing::isInternal).toList();
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append("# ").append(h).append('\n'));
        out.append("# ").append(api.size()).append(" public types\n");
        for (Class<?> type : api) {
            out.append('\n').append(typeLine(type, true)).append(" {\n");
            members(type).forEach(m -> out.append("  ").append(m).append('\n'));
            out.append("}\n");
        }
        out.append("\n# ").append(internal.size())
                .append(" public types in internal packages: not API, but visible to users until they are hidden\n");
        internal.forEach(t -> out.append(typeLine(t, false)).append('\n'));
        return out.toString();
    }

    /** Public or protected, and so is every enclosing type; not synthetic, anonymous or local. */
    static boolean isVisible(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if ((t.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) == 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isInternal(Class<?> type) {
        return Arrays.asList(type.getPackageName().split("\\.")).contains("internal");
    }

    private static String typeLine(Class<?> type, boolean full) {
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
        int modifiers = type.getModifiers() & TYPE_MODIFIERS;
        if (type.isInterface()) {
            modifiers &= ~Modifier.ABSTRACT;
        }
        StringBuilder line = new StringBuilder(deprecated(type.isAnnotationPresent(Deprecated.class)));
        line.append(words(Modifier.toString(modifiers), type.isSealed() ? "sealed" : "", kind))
                .append(' ').append(type.getName());
        if (!full) {
            return line.toString();
        }
        line.append(typeParameters(type.getTypeParameters()));
        if (type.isRecord()) {
            line.append(Arrays.stream(type.getRecordComponents())
                    .map(c -> name(c.getGenericType()) + " " + c.getName())
                    .collect(Collectors.joining(", ", "(", ")")));
        }
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && superclass != Record.class && !type.isEnum()) {
            line.append(" extends ").append(name(superclass));
        }
        if (type.getGenericInterfaces().length > 0 && !type.isAnnotation()) {
            line.append(type.isInterface() ? " extends " : " implements ").append(names(type.getGenericInterfaces()));
        }
        if (type.isSealed()) {
            line.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    /** Enum constants in declaration order (their ordinals are API), then fields, constructors and methods by name. */
    private static List<String> members(Class<?> type) {
        List<String> lines = new ArrayList<>();
        Arrays.stream(type.getDeclaredFields()).filter(Field::isEnumConstant)
                .forEach(f -> lines.add("enum-constant " + f.getName()));
        Arrays.stream(type.getDeclaredFields()).filter(f -> !f.isEnumConstant() && isMember(f.getModifiers(), f.isSynthetic()))
                .sorted(Comparator.comparing(Field::getName))
                .forEach(f -> lines.add(deprecated(f.isAnnotationPresent(Deprecated.class))
                        + words(Modifier.toString(f.getModifiers() & FIELD_MODIFIERS), name(f.getGenericType()), f.getName())));
        Stream.of(type.getDeclaredConstructors()).filter(c -> isMember(c.getModifiers(), c.isSynthetic()))
                .map(c -> executable(c, "<init>", "")).sorted().forEach(lines::add);
        Stream.of(type.getDeclaredMethods()).filter(m -> !m.isBridge() && isMember(m.getModifiers(), m.isSynthetic()))
                .sorted(Comparator.comparing(Method::getName).thenComparing(m -> executable(m, m.getName(), "")))
                .map(m -> executable(m, m.getName(), (m.isDefault() ? "default " : "") + name(m.getGenericReturnType())))
                .forEach(lines::add);
        return lines;
    }

    private static boolean isMember(int modifiers, boolean synthetic) {
        return !synthetic && (modifiers & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
    }

    private static String executable(Executable e, String name, String returnType) {
        Type[] parameters = e.getGenericParameterTypes();
        List<String> rendered = new ArrayList<>(Stream.of(parameters).map(ApiListing::name).toList());
        if (e.isVarArgs() && !rendered.isEmpty()) {
            String last = rendered.remove(rendered.size() - 1);
            rendered.add(last.substring(0, last.length() - 2) + "...");
        }
        int modifiers = e.getModifiers() & EXECUTABLE_MODIFIERS;
        String line = deprecated(e.isAnnotationPresent(Deprecated.class)) + words(Modifier.toString(modifiers),
                typeParameters(e.getTypeParameters()), returnType, name + "(" + String.join(", ", rendered) + ")");
        if (e.getGenericExceptionTypes().length > 0) {
            line += " throws " + names(e.getGenericExceptionTypes());
        }
        return line;
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            List<Type> bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class).toList();
            return bounds.isEmpty() ? v.getName() : v.getName() + " extends "
                    + bounds.stream().map(ApiListing::name).collect(Collectors.joining(" & "));
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String names(Type[] types) {
        return Arrays.stream(types).map(ApiListing::name).collect(Collectors.joining(", "));
    }

    /** A type as source would write it, except nested classes: {@code Outer$Inner} (the binary name). */
    private static String name(Type type) {
        return type.getTypeName();
    }

    private static String deprecated(boolean deprecated) {
        return deprecated ? "@Deprecated " : "";
    }

    private static String words(String... words) {
        return Arrays.stream(words).filter(w -> !w.isEmpty()).collect(Collectors.joining(" "));
    }
}
