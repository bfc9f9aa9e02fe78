package lkst.api;

import java.util.Map;

/**
 * A handler as shown by {@code lkst:handlers}.
 *
 * @param id         lkst.handler.id, or -1 when the service had none
 * @param name       lkst.handler.name
 * @param bundle     symbolic name of the bundle that registered it
 * @param state      bound, quarantined, refused
 * @param reason     why it is refused or quarantined, else null
 * @param faults     exceptions thrown by handle
 * @param parameters current control parameter values
 */
public record HandlerInfo(int id, String name, String bundle, String state, String reason, long faults,
                          Map<String, Object> parameters) {
    public static final String BOUND = "bound";
    public static final String QUARANTINED = "quarantined";
    public static final String REFUSED = "refused";
}
