package dev.parley.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page's files come from the classpath with the right types and headers; nothing else is served. */
class ChatPageTest {

    private static Server server;
    private static ChatPage page;
    private static URI base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        page = ChatPage.fromClasspath();
        server.setHandler(page);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootIsThePageWithAStrictPolicy() throws Exception {
        HttpResponse<String> r = send("GET", "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'self'", "script-src 'self'");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.body()).contains("<title>Parley</title>", "/js/main.js", "id=\"signin-form\"");
    }

    @Test
    void scriptsStylesAndTheIconHaveTheirTypes() throws Exception {
        assertThat(send("GET", "/js/main.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(send("GET", "/js/model.js").body()).contains("export class PageModel");
        // the JavaScript SDK (clients/js/src, copied into the jar by the build) that the page runs on
        HttpResponse<String> sdk = send("GET", "/sdk/index.js");
        assertThat(sdk.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(sdk.body()).contains("export { ParleyClient }");
        assertThat(send("GET", "/sdk/client.js").body()).contains("export class ParleyClient");
        assertThat(send("GET", "/style.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(send("GET", "/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        HttpResponse<String> head = send("HEAD", "/js/main.js");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void nothingOutsideThePageFolderAndNoOtherMethods() throws Exception {
        assertThat(send("GET", "/nope.js").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/dev/parley/gateway/web/ChatPage.class").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/js/../../logback-test.xml").statusCode()).isIn(400, 404);
        assertThat(send("GET", "/%2e%2e/parley-web/index.html").statusCode()).isIn(400, 404);
        assertThat(send("GET", "/js/").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/").statusCode()).isEqualTo(405);
    }

    /** Failed on main: every missing name was cached forever (8,895 random GETs left 69 MB on the heap). */
    @Test
    void missingFilesAreNotRemembered() throws Exception {
        send("GET", "/");
        int before = page.cachedFiles();
        for (int i = 0; i < 500; i++) {
            assertThat(send("GET", "/missing-" + i + ".js").statusCode()).isEqualTo(404);
        }
        assertThat(page.cachedFiles()).isEqualTo(before).isLessThanOrEqualTo(20);
        assertThat(send("GET", "/").statusCode()).isEqualTo(200);
    }
}
