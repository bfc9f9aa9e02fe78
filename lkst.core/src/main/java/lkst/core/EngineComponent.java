package lkst.core;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import lkst.api.Dispatcher;
import lkst.api.Drainable;
import lkst.api.EventHandler;
import lkst.api.RuntimeProperties;
import lkst.api.StatusSource;
import lkst.api.Tracer;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The engine in the framework: binds every {@link EventHandler} service by its ID the moment it registers,
 * persists masksets in Configuration Admin ({@value Tracer#MASKSETS_PID}) and takes handler parameters from
 * configurations with PID {@code lkst.handler.NAME} (e.g. a {@code lkst.handler.pid-filter.cfg} in deploy/; see
 * {@link HandlerConfigurations}).
 */
@Component(service = {Tracer.class, Dispatcher.class, ConfigurationListener.class}, immediate = true)
public class EngineComponent extends Engine implements ConfigurationListener {
    private final ConfigurationAdmin cm;
    private final HandlerConfigurations handlerConfigs;


    @Activate
    public EngineComponent(@Reference ConfigurationAdmin cm, org.osgi.framework.BundleContext context) {
        this.cm = cm;
        this.handlerConfigs = new HandlerConfigurations(cm, this);
        if (RuntimeProperties.TRACING_STOPPED.equals(context.getProperty(RuntimeProperties.TRACING))) stop();
        source("config", handlerConfigs::status);
        try {
            Configuration c = cm.getConfiguration(MASKSETS_PID, null);
            if (c.getProperties() != null) restore(map(c.getProperties()));
            store(props -> save(MASKSETS_PID, props));
        } catch (IOException e) {
            Log.error("cannot read saved masksets from Configuration Admin; starting with the built-in ones", e);
        }
        paramStore((handler, props) -> {
            try {
                handlerConfigs.save(handler, props);
            } catch (IOException e) {
                Log.error("cannot save the parameters of handler " + handler + " in Configuration Admin", e);
            }
        });
        try {
            handlerConfigs.applyAll();
        } catch (IOException e) {
            Log.error("cannot read handler parameters from Configuration Admin", e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindHandler(EventHandler handler, ServiceReference<EventHandler> ref) {
        bind(handler, ref.getProperty(EventHandler.ID), ref.getProperty(EventHandler.NAME), ref.getBundle().getSymbolicName());
    }

    void unbindHandler(EventHandler handler) {
        unbind(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindStatus(StatusSource s) {
        source(s.name(), s::status);
    }

    void unbindStatus(StatusSource s) {
        removeSource(s.name());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDrainable(Drainable d) {
        addDrain(d);
    }

    void unbindDrainable(Drainable d) {
        removeDrain(d);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String handler = HandlerConfigurations.handler(event.getPid());
        if (handler == null || event.getType() == ConfigurationEvent.CM_LOCATION_CHANGED) return;
        try {
            handlerConfigs.apply(handler); // updated or deleted: the handler's configurations as they are now
        } catch (IOException e) {
            Log.error("cannot read configuration " + event.getPid(), e);
        }
    }

    private void save(String pid, Map<String, Object> props) {
        try {
            Configuration c = cm.getConfiguration(pid, null);
            Hashtable<String, Object> d = new Hashtable<>(props);
            c.updateIfDifferent(d);
        } catch (IOException e) {
            Log.error("cannot save " + pid + " in Configuration Admin", e);
        }
    }

    private static Map<String, Object> map(Dictionary<String, Object> d) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Enumeration<String> e = d.keys(); e.hasMoreElements(); ) {
            String k = e.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }
}
