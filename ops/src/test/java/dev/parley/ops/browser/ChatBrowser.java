package dev.parley.ops.browser;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium (Debian's, through its chromedriver) showing the chat page as one user, with the
 * few actions and reads the browser test needs. Everything is read from the page as a person sees it.
 */
final class ChatBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("PARLEY_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("PARLEY_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    final String name;

    ChatBrowser(String name, Path profileDir) {
        this.name = name;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags this machine needs (see the project's notes): headless as root, and no calls home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profileDir.toAbsolutePath());
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    void open(String url) {
        driver.get(url);
    }

    void signIn(String user) {
        await().atMost(WAIT).until(() -> driver.findElement(By.id("signin-user")).isDisplayed());
        WebElement input = driver.findElement(By.id("signin-user"));
        input.clear();
        input.sendKeys(user);
        driver.findElement(By.id("signin-button")).click();
        awaitStatus("online");
    }

    String status() {
        return driver.findElement(By.id("status")).getAttribute("data-state");
    }

    void awaitStatus(String state) {
        await().atMost(WAIT).until(() -> state.equals(status()));
    }

    void createChannel(String channel, boolean isPrivate) {
        fill("create-name", channel);
        if (isPrivate) {
            driver.findElement(By.id("create-private")).click();
        }
        driver.findElement(By.id("create-button")).click();
        awaitActive(channel);
    }

    void join(String channel) {
        fill("join-name", channel);
        driver.findElement(By.id("join-button")).click();
        awaitActive(channel);
    }

    void addMember(String user) {
        fill("add-member-user", user);
        driver.findElement(By.id("add-member-button")).click();
        await().atMost(WAIT).until(() -> driver.findElement(By.id("banner")).getText().contains("Added " + user));
    }

    void select(String channel) {
        driver.findElement(By.cssSelector("#channel-list li[data-channel='" + channel + "'] button")).click();
        awaitActive(channel);
    }

    void awaitActive(String channel) {
        await().atMost(WAIT).until(() -> channel.equals(js(
                "const a = document.querySelector('#channel-list li.active'); return a ? a.dataset.channel : null;")));
    }

    /** Types a message and presses Enter. */
    void send(String text) {
        WebElement box = driver.findElement(By.id("composer-text"));
        box.sendKeys(text);
        driver.findElement(By.id("send-button")).click();
    }

    /** Types into the composer without sending (the page tells the channel that this user is typing). */
    void type(String text) {
        driver.findElement(By.id("composer-text")).sendKeys(text);
    }

    /** Sends what the composer holds. */
    void sendTyped() {
        driver.findElement(By.id("send-button")).click();
    }

    /** The "X is typing…" line under the open channel ("" when nobody types). */
    String typingLine() {
        return (String) js("return document.getElementById('typing').textContent;");
    }

    /** The presence dot next to a user's messages in the open channel: online, away, offline, or null (none shown). */
    String presenceOf(String user) {
        return (String) js("const d = document.querySelector('#messages li.msg[data-user=\"" + user + "\"] .presence');"
                + " return d ? d.dataset.status : null;");
    }

    void signOut() {
        driver.findElement(By.id("signout")).click();
    }

    /** The committed messages of the open channel as shown: "seq|user|text", top to bottom. */
    @SuppressWarnings("unchecked")
    List<String> messages() {
        return (List<String>) js("return [...document.querySelectorAll('#messages li.msg:not(.pending)')]"
                + ".map(li => li.dataset.seq + '|' + li.dataset.user + '|' + li.querySelector('.text').textContent);");
    }

    /** Texts of the open channel's committed messages, top to bottom. */
    List<String> texts() {
        return messages().stream().map(m -> m.substring(m.lastIndexOf('|') + 1)).toList();
    }

    /** Messages of mine not committed yet (shown greyed out). */
    @SuppressWarnings("unchecked")
    List<String> pendingTexts() {
        return (List<String>) js("return [...document.querySelectorAll('#messages li.msg.pending .text')].map(e => e.textContent);");
    }

    /** The sidebar's channels: "name" or "name (badge)". */
    @SuppressWarnings("unchecked")
    List<String> channelList() {
        return (List<String>) js("return [...document.querySelectorAll('#channel-list li')].map(li => {"
                + " const b = li.querySelector('.badge.unread'); return li.dataset.channel + (b ? ' (' + b.textContent + ')' : ''); });");
    }

    /** Seq of the first committed message of the open channel with this text. */
    long seqOf(String text) {
        return messages().stream().filter(m -> m.endsWith("|" + text)).map(m -> Long.parseLong(m.substring(0, m.indexOf('|'))))
                .findFirst().orElseThrow(() -> new AssertionError("no message '" + text + "' in " + messages()));
    }

    /** Clicks one of a message's actions (they only show on hover, so through the DOM). */
    void act(long seq, String action) {
        js("window.confirm = () => true; document.querySelector('#messages li.msg[data-seq=\"" + seq
                + "\"] button[data-action=\"" + action + "\"]').click();");
    }

    /** Edits one of my messages in place: the edit action, new text, Enter. */
    void edit(long seq, String text) {
        act(seq, "edit");
        WebElement box = driver.findElement(By.cssSelector("#messages li.msg[data-seq='" + seq + "'] .editor textarea"));
        box.clear();
        box.sendKeys(text + "\n");
    }

    /** Reacts to a message with one of the picker's emoji. */
    void react(long seq, String emoji) {
        act(seq, "pick");
        js("document.querySelector('#messages .picker button[data-emoji=\"" + emoji + "\"]').click();");
    }

    /** The reaction chips of a message: "emoji count". */
    @SuppressWarnings("unchecked")
    List<String> reactions(long seq) {
        return (List<String>) js("return [...document.querySelectorAll('#messages li.msg[data-seq=\"" + seq
                + "\"] .reaction')].map(b => b.textContent);");
    }

    /** What a message shows besides its text: "(edited)", "3 replies", the tombstone. */
    String decorations(long seq) {
        return (String) js("const li = document.querySelector('#messages li.msg[data-seq=\"" + seq + "\"]');"
                + " return li ? [...li.querySelectorAll('.edited, .replies, .tombstone')].map(e => e.textContent).join(' ') : null;");
    }

    /** Opens a message's thread and replies in it. */
    void replyInThread(long seq, String text) {
        act(seq, "thread");
        await().atMost(WAIT).until(() -> driver.findElement(By.id("thread")).isDisplayed());
        WebElement box = driver.findElement(By.id("thread-text"));
        box.sendKeys(text);
        driver.findElement(By.id("thread-send")).click();
    }

    /** Texts in the open thread panel, root first. */
    @SuppressWarnings("unchecked")
    List<String> threadTexts() {
        return (List<String>) js("return [...document.querySelectorAll('#thread-messages li.msg:not(.pending) .text')].map(e => e.textContent);");
    }

    Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fill(String id, String value) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
