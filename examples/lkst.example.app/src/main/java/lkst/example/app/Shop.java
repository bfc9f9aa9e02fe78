package lkst.example.app;

import lkst.api.Field;
import lkst.hooks.api.HookPoint;
import lkst.hooks.api.Hooks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * An example application that embeds LKST/J: it declares its own event type, SHOP_ORDER, and fires it at its
 * hook point for every order. The hook point costs one field read while SHOP_ORDER is not traced.
 */
@Component(service = Shop.class, immediate = true)
public final class Shop {
    private final HookPoint order;

    @Activate
    public Shop(@Reference Hooks hooks) {
        order = hooks.declare("SHOP_ORDER", "shop", Field.u64("order"), Field.u32("items"), Field.string("customer"));
    }

    /** Takes an order; the hook point records it when the active maskset traces SHOP_ORDER. */
    public void order(long id, int items, String customer) {
        if (order.enabled()) order.begin().put(id).put(items).put(customer).fire();
    }
}
