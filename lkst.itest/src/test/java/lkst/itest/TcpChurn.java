package lkst.itest;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A workload for kernel timer tests, run as a process of its own (LKST/J keeps its own JVM out of the trace):
 * {@code N} TCP connections over loopback, each exchanging a few bytes — every socket is a kernel object
 * ({@code kmem_cache_alloc}) with timers inside it (retransmit, delayed ACK, keep-alive).
 */
public final class TcpChurn {
    private TcpChurn() { }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        try (Socket s = server.accept()) {
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream();
                            int b;
                            while ((b = in.read()) >= 0 && b != '\n') out.write(b);
                            out.write('\n');
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            acceptor.start();
            for (int i = 0; i < n; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    s.setKeepAlive(true);
                    s.getOutputStream().write(("hello " + i + "\n").getBytes());
                    s.getOutputStream().flush();
                    while (s.getInputStream().read() != '\n') { /* the echo */ }
                }
            }
            acceptor.join();
        }
    }
}
