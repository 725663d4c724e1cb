// swift-format-ignore-file
// The dashboard's stylesheet and script, served from the binary (no CDN, no build step).

enum DashboardAssets {
    static let css = #"""
        :root { --ok: #1b7f3b; --retry: #9a6700; --fail: #b42318; --off: #5f6b7a; --wait: #1f5fbf;
                --line: #d8dee4; --ink: #1f2328; --muted: #59636e; --bg: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        a { color: #0b57d0; }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
        header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.2rem; background: #24292f; color: #fff; }
        header.top a { color: #fff; text-decoration: none; }
        header.top nav a { margin-right: 1rem; }
        header.top nav a[aria-current="page"] { text-decoration: underline; font-weight: 600; }
        .brand { font-weight: 700; font-size: 1.1rem; }
        .live { margin-left: auto; font-size: .85rem; opacity: .85; }
        .counters dl { display: flex; flex-wrap: wrap; gap: .6rem; margin: 0; padding: .8rem 1.2rem; background: var(--bg); border-bottom: 1px solid var(--line); }
        .counter { min-width: 9rem; padding: .4rem .8rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
        .counter dt { font-size: .8rem; color: var(--muted); }
        .counter dd { margin: 0; font-size: 1.35rem; font-weight: 650; }
        main { padding: 0 1.2rem 2rem; }
        h1 { font-size: 1.4rem; margin: 1rem 0 .6rem; }
        h2 { font-size: 1.1rem; margin: .4rem 0 .6rem; }
        .forms { display: flex; flex-wrap: wrap; gap: 1rem; margin-bottom: 1rem; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; background: #fff; margin-bottom: 1rem; }
        form.card { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; }
        form.card h2 { flex-basis: 100%; margin: 0 0 .2rem; }
        input, select, button { font: inherit; padding: .3rem .5rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
        button { background: #f3f4f6; cursor: pointer; }
        button[type="submit"] { background: #1f6feb; color: #fff; border-color: #1f6feb; }
        output { font-size: .9rem; color: var(--muted); }
        .check { display: inline-flex; gap: .3rem; align-items: center; }
        .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
        thead th { background: var(--bg); font-size: .85rem; color: var(--muted); white-space: nowrap; }
        td code { font-size: .9rem; }
        .stations { margin: 0; padding-left: 1rem; font-size: .85rem; }
        .states { min-width: 16rem; }
        .badge { display: inline-block; margin: 0 .25rem .25rem 0; padding: .1rem .45rem; border-radius: 999px; font-size: .82rem; border: 1px solid; white-space: nowrap; }
        .badge .cb { font-weight: 600; }
        .badge-delivered { color: var(--ok); border-color: var(--ok); background: #eefbf1; }
        .badge-retry { color: var(--retry); border-color: var(--retry); background: #fff8e5; }
        .badge-failed { color: var(--fail); border-color: var(--fail); background: #fff0ee; }
        .badge-cancelled { color: var(--off); border-color: var(--off); background: #f3f4f6; }
        .badge-waiting { color: var(--wait); border-color: var(--wait); background: #eef4ff; }
        .empty { color: var(--muted); font-style: italic; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .6rem; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; }
        .try { border-left: 4px solid var(--line); padding: .3rem 0 .6rem 1rem; margin-bottom: 1rem; }
        .try-delivered { border-color: var(--ok); } .try-retry { border-color: var(--retry); } .try-failed { border-color: var(--fail); }
        .try h3 { font-size: 1rem; margin: .2rem 0 .4rem; }
        pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; font-size: .85rem; }
        .pager { margin: .8rem 0; }
        .action-result { margin: .4rem 1.2rem 0; min-height: 1.4em; font-weight: 600; }
        .forms > .card { flex: 1 1 26rem; margin-bottom: 0; }
        .filters .filter { white-space: nowrap; }
        .filters label { margin-left: .4rem; }
        .list-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; }
        .list-head h2 { margin: .4rem 0; }
        .counter .what { margin: 0; font-size: .75rem; font-weight: 400; color: var(--muted); }
        .note { font-size: .85rem; color: var(--muted); margin: .2rem 0 .6rem; }
        form.card .note { flex-basis: 100%; margin: 0; }
        td { overflow-wrap: break-word; }
        .badge { white-space: normal; border-radius: .8rem; }
        .badge .cb, .facts dd, .curl code { overflow-wrap: anywhere; }
        .resent-mark, .resend-mark { font-weight: 600; }
        tr.resent td { background: #f6f8fa; }
        .views { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: .6rem; }
        .views figure { margin: 0; min-width: 0; }
        .views figcaption { font-size: .8rem; color: var(--muted); }
        .views pre { margin: .2rem 0 .4rem; }
        .curl code { font-size: .8rem; overflow-wrap: anywhere; }
        .sim-time { font-size: .85rem; }
        h4 { margin: .6rem 0 .2rem; }
        @media (max-width: 900px) {
            body { font-size: 14px; }
            main { padding: 0 .6rem 1.5rem; }
            .counter { min-width: 7rem; }
            th, td { padding: .35rem .4rem; }
            .states { min-width: 9rem; }
            .stations { padding-left: .8rem; font-size: .8rem; }
            .counter { min-width: 6rem; padding: .3rem .5rem; }
        }
        """#

    static let javascript = #"""
        // sigfox-sim dashboard: live updates and forms. The pages work without it (the lists are HTML).
        (function () {
          "use strict";
          var token = (document.querySelector('meta[name="sigfox-sim-dashboard"]') || {}).content || "";
          var live = document.getElementById("live");
          var dirty = false, busy = false;

          // Live: every event marks the page dirty; it is fetched again at most once a second, so 500
          // uplinks a second cost one redraw a second, not 500.
          function refresh() {
            if (!dirty || busy) return;
            dirty = false; busy = true;
            fetch(location.href, { headers: { "Accept": "text/html" } }).then(function (answer) { return answer.text(); })
              .then(function (html) {
                var next = new DOMParser().parseFromString(html, "text/html");
                document.querySelectorAll("[data-live-region][id]").forEach(function (region) {
                  var fresh = next.getElementById(region.id);
                  if (fresh) region.replaceWith(fresh);
                });
              })
              .catch(function () { dirty = true; })
              .finally(function () { busy = false; });
          }
          if (window.EventSource) {
            var types = ["message", "attempt", "resend", "reset", "configuration", "station", "downlink", "acknowledge", "lost"];
            var stream = new EventSource("/sim/events?types=" + types.join(","));
            stream.onopen = function () { if (live) live.textContent = "● live"; };
            stream.onerror = function () { if (live) live.textContent = "○ reconnecting"; };
            types.forEach(function (type) {
              stream.addEventListener(type, function () { dirty = true; });
            });
            setInterval(refresh, 1000);
          }

          // Every action says what happened in one place outside the lists, so a live redraw never hides it.
          var result = document.getElementById("action-result");
          function say(output, text) { if (result) result.textContent = text; }
          function call(method, url, body, authenticated) {
            var headers = { "Content-Type": "application/json" };
            if (authenticated) headers["X-Sigfox-Sim-Dashboard"] = token;
            return fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
              .then(function (answer) {
                return answer.text().then(function (text) {
                  var json = {}; try { json = text ? JSON.parse(text) : {}; } catch (e) {}
                  if (!answer.ok) {
                    var why = json.message || answer.statusText;
                    if (json.errors && json.errors[0]) why += ": " + json.errors[0].message;
                    throw new Error(answer.status + " " + why);
                  }
                  return json;
                });
              });
          }

          // The clipboard API where the page may use it (127.0.0.1 and localhost are secure contexts), else
          // a selected text area and the copy command.
          function copy(text) {
            if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
            return new Promise(function (resolve, reject) {
              var area = document.createElement("textarea");
              area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
              document.body.appendChild(area); area.select();
              var done = false; try { done = document.execCommand("copy"); } catch (e) {}
              document.body.removeChild(area);
              if (done) resolve(); else reject();
            });
          }

          document.addEventListener("submit", function (event) {
            if (event.target.id !== "send-uplink") return;
            event.preventDefault();
            var form = event.target, output = document.getElementById("uplink-result");
            var device = form.device.value, payload = form.payload.value.trim();
            say(output, "sending…");
            call("POST", "/sim/devices/" + encodeURIComponent(device) + "/uplinks", { payload: payload, ack: form.ack.checked })
              .then(function (receipt) {
                say(output, receipt.lost ? "sent: no station heard it, lost (" + (receipt.explanation || receipt.reason) + ")" : "sent: message " + receipt.id + ", sequence number " + receipt.seqNumber);
                dirty = true;
              })
              .catch(function (error) { say(output, "refused: " + error.message); });
          });

          document.addEventListener("click", function (event) {
            var button = event.target.closest("button");
            if (!button) return;
            var output = button.parentElement.querySelector("output");
            if (button.dataset.station) {
              var station = document.getElementById("station-id").value;
              output = document.getElementById("station-result");
              call("POST", "/sim/base-stations/" + encodeURIComponent(station) + "/" + button.dataset.station)
                .then(function () { say(output, "station " + station + " is " + button.dataset.station); dirty = true; })
                .catch(function (error) { say(output, "refused: " + error.message); });
            } else if (button.dataset.resend) {
              say(output, "resending…");
              call("POST", "/sim/attempts/" + button.dataset.resend + "/resend")
                .then(function (answer) { say(output, "try " + answer.resentFrom + " resent as delivery " + answer.delivery); dirty = true; })
                .catch(function (error) { say(output, "refused: " + error.message); });
            } else if (button.dataset.copy) {
              copy(button.dataset.copy).then(function () { say(output, "copied the curl command"); })
                .catch(function () { say(output, "select the command beside the button and copy it"); });
            } else if (button.hasAttribute("data-reset")) {
              if (!window.confirm("Reset sigfox-sim? Every message and try is cleared and the configuration goes back to how it started.")) {
                say(output, "reset cancelled");
                return;
              }
              call("POST", "/sim/reset")
                .then(function () { say(output, "reset: back to the initial configuration, every record cleared"); dirty = true; })
                .catch(function (error) { say(output, "refused: " + error.message); });
            } else if (button.dataset.enable) {
              var url = "/v2/device-types/" + button.dataset.type + "/callbacks/" + encodeURIComponent(button.dataset.callback)
                + "/enable?enabled=" + button.dataset.enable;
              call("PUT", url, null, true)
                .then(function () { say(output, button.dataset.enable === "true" ? "enabled" : "disabled"); dirty = true; })
                .catch(function (error) { say(output, "refused: " + error.message); });
            }
          });
        })();
        """#
}
