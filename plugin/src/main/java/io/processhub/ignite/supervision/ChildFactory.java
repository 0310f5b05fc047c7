package io.processhub.ignite.supervision;

import io.processhub.ChildProcess;
import io.processhub.ChildSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ConcurrentHashMap;

/** Creates child instances from specs: loads the class (cached) and picks the constructor matching the arguments. */
public final class ChildFactory {
    /** The spec cannot describe a child: unknown class, not a ChildProcess, no matching constructor. */
    public static final class InvalidSpecException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidSpecException(String message) {
            super(message);
        }
    }

    private final ConcurrentHashMap<String, Class<? extends ChildProcess>> classes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Class<?>, Constructor<?>> lastConstructor = new ConcurrentHashMap<>();

    public ChildProcess create(ChildSpec spec) throws InvalidSpecException, Throwable {
        Class<? extends ChildProcess> cls = load(spec.className());
        Object[] args = spec.args();
        Constructor<?> ctor = constructorFor(cls, args);
        try {
            return (ChildProcess)ctor.newInstance(args);
        }
        catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Class<? extends ChildProcess> load(String className) throws InvalidSpecException {
        if (className == null || className.isBlank())
            throw new InvalidSpecException("no child class given");
        Class<? extends ChildProcess> cached = classes.get(className);
        if (cached != null)
            return cached;
        Class<?> cls;
        try {
            ClassLoader ldr = Thread.currentThread().getContextClassLoader();
            cls = Class.forName(className, true, ldr != null ? ldr : ChildFactory.class.getClassLoader());
        }
        catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidSpecException("unknown child class " + className + " (not on this node's classpath)");
        }
        if (!ChildProcess.class.isAssignableFrom(cls))
            throw new InvalidSpecException(className + " does not implement " + ChildProcess.class.getName());
        @SuppressWarnings("unchecked")
        Class<? extends ChildProcess> childCls = (Class<? extends ChildProcess>)cls;
        classes.put(className, childCls);
        return childCls;
    }

    private Constructor<?> constructorFor(Class<?> cls, Object[] args) throws InvalidSpecException {
        // Most specs of a class pass the same argument types: remember the last constructor that fitted.
        Constructor<?> last = lastConstructor.get(cls);
        if (last != null && accepts(last.getParameterTypes(), args))
            return last;
        for (Constructor<?> c : cls.getConstructors())
            if (accepts(c.getParameterTypes(), args)) {
                lastConstructor.put(cls, c);
                return c;
            }
        StringBuilder types = new StringBuilder();
        for (Object a : args)
            types.append(types.length() == 0 ? "" : ", ").append(a == null ? "null" : a.getClass().getSimpleName());
        throw new InvalidSpecException(cls.getName() + " has no public constructor taking (" + types + ')');
    }

    private static boolean accepts(Class<?>[] params, Object[] args) {
        if (params.length != args.length)
            return false;
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i].isPrimitive() ? boxed(params[i]) : params[i];
            if (args[i] == null ? params[i].isPrimitive() : !p.isInstance(args[i]))
                return false;
        }
        return true;
    }

    private static Class<?> boxed(Class<?> primitive) {
        if (primitive == int.class)
            return Integer.class;
        if (primitive == long.class)
            return Long.class;
        if (primitive == boolean.class)
            return Boolean.class;
        if (primitive == double.class)
            return Double.class;
        if (primitive == float.class)
            return Float.class;
        if (primitive == short.class)
            return Short.class;
        if (primitive == byte.class)
            return Byte.class;
        return Character.class;
    }
}
