package io.processhub.hook;

/**
 * One handler for one hook, with an id (unique per hook) and a priority (higher runs first). A JavaBean, so
 * a {@code HubConfiguration} lists them in Spring XML under {@code hooks}.
 */
public class HookRegistration {
    private Hook hook;
    private String id;
    private int priority;
    private HookHandler<? extends HubEvent> handler;

    public HookRegistration() {
    }

    public HookRegistration(Hook hook, String id, int priority, HookHandler<? extends HubEvent> handler) {
        this.hook = hook;
        this.id = id;
        this.priority = priority;
        this.handler = handler;
    }

    public Hook getHook() {
        return hook;
    }

    public void setHook(Hook hook) {
        this.hook = hook;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public int getPriority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }

    public HookHandler<? extends HubEvent> getHandler() {
        return handler;
    }

    public void setHandler(HookHandler<? extends HubEvent> handler) {
        this.handler = handler;
    }
}
