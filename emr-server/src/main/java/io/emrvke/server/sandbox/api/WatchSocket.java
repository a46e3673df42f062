package io.emrvke.server.sandbox.api;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A watch over a WebSocket: one text message per event, closed normally when the watch ends, and the
 * watch ended when the client closes. (Public only because Jetty calls its methods reflectively.)
 */
public final class WatchSocket implements Session.Listener.AutoDemanding {
    private final Watches.Watch watch;
    private final ExecutorService streams;

    WatchSocket(Watches.Watch watch, ExecutorService streams) {
        this.watch = watch;
        this.streams = streams;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        streams.execute(() -> {
            try {
                watch.run(event -> send(session, event));
                session.close(1000, "", Callback.NOOP);
            } catch (IOException | InterruptedException | RuntimeException e) {
                session.disconnect();
            }
        });
    }

    private static void send(Session session, String event) throws IOException {
        Callback.Completable sent = new Callback.Completable();
        session.sendText(event, sent);
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        watch.close();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        watch.close();
    }
}
