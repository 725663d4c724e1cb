#!/usr/bin/env python3
"""The dashboard of `sigfox-sim serve` in a real browser (Debian's chromium and chromium-driver, selenium).

    dashboard_browser.py flow BASE_URL SCREENSHOT.png
    dashboard_browser.py screenshot BASE_URL SCREENSHOT.png

In `flow`, BASE_URL is a serve started on Tests/Fixtures/dashboard.yaml (a callback whose receiver answers 200, then
500, then 200), with a second callback that never connects (its long error and 24-hex id stretch the tables).
Sends an uplink through the page's form and waits until the page shows its delivered try; sends a second one,
whose try fails, and waits for the retry's due time; finds it with the search and the filters; resends it from
the "not delivered" page and waits for the new, delivered try on the message's page, with links both ways between
the try resent and the resend; copies a request as curl; checks the keyboard reaches the form, that the pages and
their tables fit 800 px, and that Reset asks first, then clears the list. `screenshot` takes the 1280x800 picture
of the messages page that the README shows. `fit FILE WIDTH` opens a file (the load test's HTML report) and
checks nothing scrolls sideways at that width. Exit 0 when every step held; otherwise a message naming the step,
and exit 1.
"""
import struct
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

mode, base, screenshot = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]


def fits(driver, where):
    """Nothing scrolls sideways: neither the page nor a table in its frame nor a block of text."""
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        print(f"dashboard: step failed: {where}: the page is {overflow} px too wide")
        sys.exit(1)
    inner = driver.execute_script(
        "return Array.from(document.querySelectorAll('.table-wrap, pre'))"
        ".map(e => e.scrollWidth - e.clientWidth).filter(x => x > 1)")
    if inner:
        print(f"dashboard: step failed: {where}: {len(inner)} tables or text blocks scroll sideways by {inner} px")
        sys.exit(1)


def browser(width, height):
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def step(name, condition, driver, seconds=30):
    try:
        # The live list is redrawn while we look: an element gone stale is looked up again.
        return WebDriverWait(driver, seconds, poll_frequency=0.2,
                             ignored_exceptions=[StaleElementReferenceException]).until(lambda d: condition(d))
    except TimeoutException:
        print(f"dashboard: step failed: {name}\n--- page text ---\n{driver.find_element(By.TAG_NAME, 'body').text[:3000]}")
        sys.exit(1)


def row_for(driver, data):
    for row in driver.find_elements(By.CSS_SELECTOR, "#messages-body tr"):
        if data in row.text:
            return row
    return None


def send(driver, payload):
    field = driver.find_element(By.ID, "uplink-payload")
    field.clear()
    field.send_keys(payload)
    Select(driver.find_element(By.ID, "uplink-device")).select_by_value("2C30EA")
    driver.find_element(By.CSS_SELECTOR, "#send-uplink button[type=submit]").click()
    step(f"the form says the uplink {payload} was sent",
         lambda d: "sent: message" in d.find_element(By.ID, "action-result").text, driver, 10)


def take_screenshot(driver):
    driver.set_window_size(1280, 800)
    driver.get(base + "/")
    step("the messages are listed", lambda d: d.find_elements(By.CSS_SELECTOR, "#messages-body tr[data-message]"), driver)
    time.sleep(0.5)
    width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if (width, height) != (1280, 800):
        driver.set_window_size(1280 + 1280 - width, 800 + 800 - height)
        driver.get(base + "/")
        time.sleep(0.5)
    driver.save_screenshot(screenshot)
    with open(screenshot, "rb") as image:
        header = image.read(24)
    size = struct.unpack(">II", header[16:24])
    if size != (1280, 800):
        print(f"dashboard: step failed: the screenshot is {size[0]}x{size[1]}, not 1280x800")
        sys.exit(1)


driver = browser(1280, 800)
try:
    if mode == "fit":
        driver.set_window_size(int(screenshot), 800)
        driver.get("file://" + base)
        step("the page loads", lambda d: d.find_elements(By.TAG_NAME, "h1"), driver, 10)
        fits(driver, f"{base} at {screenshot} px")
        print(f"dashboard: {base} fits {screenshot} px")
        sys.exit(0)
    if mode == "screenshot":
        take_screenshot(driver)
        print(f"dashboard: wrote {screenshot} (1280x800)")
        sys.exit(0)
    driver.get(base + "/")
    step("the live stream connects", lambda d: "live" in d.find_element(By.ID, "live").text and
         "reconnecting" not in d.find_element(By.ID, "live").text, driver, 15)
    # The keyboard reaches the form: Tab from the top of the page gets to the payload field.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    reached = False
    for _ in range(30):
        if driver.switch_to.active_element.get_attribute("id") == "uplink-payload":
            reached = True
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    if not reached:
        print("dashboard: step failed: Tab does not reach the payload field")
        sys.exit(1)

    # 1. An uplink through the form, delivered: the page shows it without a reload.
    send(driver, "0102")
    step("the delivered try of uplink 0102 appears", lambda d: (r := row_for(d, "0102")) and "✓ delivered" in r.text, driver)

    # 2. The receiver fails the next one: the page shows the retry and when it is due.
    send(driver, "0304")
    step("the failed try of uplink 0304 shows its retry's due time",
         lambda d: (r := row_for(d, "0304")) and "waiting for retry 2 at" in r.text, driver)
    if "✓ delivered" in row_for(driver, "0304").text:
        print("dashboard: step failed: uplink 0304 shows a delivered try before any resend")
        sys.exit(1)

    # Search and filters: the payload text finds it; the outcome and callback filters keep it, not 0102.
    search = driver.find_element(By.ID, "filter-q")
    search.send_keys("0304")
    search.submit()
    step("the search finds uplink 0304 only", lambda d: row_for(d, "0304") and not row_for(d, "0102"), driver, 10)
    driver.get(base + "/")
    Select(driver.find_element(By.ID, "filter-outcome")).select_by_value("retry")
    Select(driver.find_element(By.ID, "filter-callback")).select_by_value("hook")
    driver.find_element(By.CSS_SELECTOR, "#message-filters button[type=submit]").click()
    step("the filters keep the message whose hook failed", lambda d: "outcome=retry" in d.current_url and
         row_for(d, "0304") and not row_for(d, "0102"), driver, 10)

    # 3. Resend from the list of callbacks not delivered; the new try is delivered.
    driver.get(base + "/ui/not-delivered?callback=hook")
    button = step("the failed try is listed with a resend button",
                  lambda d: d.find_elements(By.CSS_SELECTOR, "#not-delivered-body button[data-resend]"), driver)[0]
    row = button.find_element(By.XPATH, "./ancestor::tr")
    message_link = row.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
    button.click()
    step("the resend is accepted", lambda d: "resent as delivery" in d.find_element(By.ID, "action-result").text, driver, 10)
    driver.get(message_link)
    step("the message's page shows the new, delivered try",
         lambda d: d.find_elements(By.CSS_SELECTOR, "#tries article.try-delivered") and
         d.find_elements(By.CSS_SELECTOR, "#tries article.try-retry"), driver)
    hook = [article for article in driver.find_elements(By.CSS_SELECTOR, "#tries article")
            if article.find_element(By.CSS_SELECTOR, ".cb").text == "hook"][0]
    request = hook.find_element(By.CSS_SELECTOR, "pre.request").text
    # As sent: the header block libcurl sent (Host, Accept, Content-Length) and the body in its own key order.
    if not request.startswith("POST /hook HTTP/1.1\nHost: 127.0.0.1:") or "Content-Length: " not in request \
            or '{"device":"2C30EA","seq":1,"data":"0304"' not in request:
        print(f"dashboard: step failed: the request is not shown as sent:\n{request}")
        sys.exit(1)
    # The resend and the try it resent link to each other.
    back = step("the resend links to the try it resent",
                lambda d: d.find_elements(By.CSS_SELECTOR, "#tries a[data-resent-from]"), driver)[0]
    forth = driver.find_element(By.CSS_SELECTOR, "#tries a[data-resent-as]")
    if forth.get_attribute("href").split("#")[1] != "delivery-" + forth.get_attribute("data-resent-as") or \
            not driver.find_elements(By.ID, back.get_attribute("href").split("#")[1]):
        print("dashboard: step failed: the links between the resend and the try resent lead nowhere")
        sys.exit(1)
    # Copy as curl.
    copy = hook.find_element(By.CSS_SELECTOR, "button[data-copy]")
    command = copy.get_attribute("data-copy")
    copy.click()
    step("copy as curl says it copied", lambda d: "copied the curl command" in
         d.find_element(By.ID, "action-result").text, driver, 10)
    if not command.startswith("curl -X POST 'http://127.0.0.1:") or "--data-raw '{\"device\":\"2C30EA\"" not in command:
        print(f"dashboard: step failed: the curl command is not the request:\n{command}")
        sys.exit(1)

    # 4. At 800 px neither the pages nor their tables scroll sideways.
    driver.set_window_size(800, 800)
    for path, name in (("/", "messages"), ("/ui/not-delivered", "not delivered"), ("/ui/device-types", "device types"),
                       ("/ui/devices", "devices"), (message_link.replace(base, ""), "a message")):
        driver.get(base + path)
        step(f"the {name} page loads at 800 px", lambda d: d.find_elements(By.TAG_NAME, "h1"), driver)
        time.sleep(0.3)
        fits(driver, f"the {name} page at 800 px")

    # 5. Reset asks first; cancelled, nothing changes; accepted, every message is gone.
    driver.set_window_size(1280, 800)
    driver.get(base + "/")
    step("the messages are listed", lambda d: row_for(d, "0102"), driver)
    driver.find_element(By.ID, "reset").click()
    driver.switch_to.alert.dismiss()
    step("a cancelled reset changes nothing", lambda d: "reset cancelled" in
         d.find_element(By.ID, "action-result").text and row_for(d, "0102"), driver, 10)
    driver.find_element(By.ID, "reset").click()
    driver.switch_to.alert.accept()
    step("the reset clears the list", lambda d: "reset: back to the initial configuration" in
         d.find_element(By.ID, "action-result").text and not row_for(d, "0102"), driver, 15)

    print("dashboard: every step held")
finally:
    driver.quit()
