package lkst.runtime;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Dictionary;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Makes configuration follow its files across restarts: a configuration that FileInstall made from a
 * {@code deploy/*.cfg} (it marks them with {@value #FILENAME}) is deleted at start when that file is gone.
 *
 * <p>FileInstall only notices a file deleted while it runs: its scanner starts empty at every start, and Configuration
 * Admin keeps what it persisted under {@code var/config}, so a file deleted while LKST/J was stopped would otherwise
 * keep applying. Runs right after Configuration Admin starts, before FileInstall and the components read anything.
 * The launcher sees Configuration Admin's types only inside the framework, hence the few reflective calls.
 */
final class DeployedConfigurations {
    static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    static final String FILENAME = "felix.fileinstall.filename";

    private DeployedConfigurations() {}

    /** Deletes the configurations whose deploy file is gone; says so in one line each. */
    static void forgetDeletedFiles(BundleContext ctx, Bundle configAdmin) {
        ServiceReference<?> ref = ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        if (ref == null) return;
        Object cm = ctx.getService(ref);
        try {
            Class<?> admin = configAdmin.loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Class<?> configuration = configAdmin.loadClass("org.osgi.service.cm.Configuration");
            Method list = admin.getMethod("listConfigurations", String.class);
            Method properties = configuration.getMethod("getProperties");
            Method pid = configuration.getMethod("getPid");
            Method delete = configuration.getMethod("delete");
            Object[] found = (Object[]) list.invoke(cm, "(" + FILENAME + "=*)");
            if (found == null) return;
            for (Object c : found) {
                Object file = ((Dictionary<?, ?>) properties.invoke(c)).get(FILENAME);
                File f = file(String.valueOf(file));
                if (f == null || f.exists()) continue;
                Object name = pid.invoke(c); // before delete(), after which the configuration answers nothing
                delete.invoke(c);
                RuntimeLog.notice("lkst: configuration " + name + " no longer applies: its file " + f + " is gone");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            RuntimeLog.notice("lkst: cannot check which deploy/*.cfg files are gone: " + cause);
        } finally {
            ctx.ungetService(ref);
        }
    }

    /** The file a FileInstall key names (a file: URI), or null when it names none. */
    private static File file(String key) {
        try {
            return new File(URI.create(key));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
