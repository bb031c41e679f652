/// The staff review console (`GET /review`): one self-contained page, no external assets.
///
/// The style and the script are kept apart so the Content-Security-Policy can allow exactly these
/// two blocks by hash. The script inserts item text with `textContent` only, never as markup.
enum ReviewConsolePage {
    /// The page's stylesheet, the exact text of its one `<style>` block.
    static let style = """

            :root { font-family: system-ui, sans-serif; color: #1b1f23; background: #f6f7f9; }
            body { margin: 0; }
            header { display: flex; align-items: center; gap: 1rem; padding: .6rem 1rem; background: #24364b; color: #fff; }
            header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
            main { display: grid; grid-template-columns: minmax(16rem, 1fr) 2fr; gap: 1rem; padding: 1rem; }
            section { background: #fff; border: 1px solid #d5d9de; border-radius: 6px; padding: .8rem; }
            .hidden { display: none !important; }
            #login { max-width: 28rem; margin: 3rem auto; }
            #queue { list-style: none; margin: 0; padding: 0; }
            #queue li button { display: block; width: 100%; text-align: left; padding: .5rem; margin-bottom: .4rem;
                border: 1px solid #d5d9de; border-radius: 4px; background: #fff; cursor: pointer; font: inherit; }
            #queue li button.selected { border-color: #24364b; box-shadow: 0 0 0 2px #24364b33; }
            #queue li.urgent button { border-left: 6px solid #c0262d; background: #fff4f4; }
            .badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .75rem; font-weight: 700;
                background: #c0262d; color: #fff; margin-right: .4rem; }
            .meta { color: #5a6470; font-size: .85rem; }
            .snippet { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            .message { white-space: pre-wrap; background: #f3f5f7; padding: .6rem; border-radius: 4px; }
            textarea { width: 100%; min-height: 7rem; font: inherit; box-sizing: border-box; }
            input[type=text], input[type=password] { width: 100%; box-sizing: border-box; font: inherit; padding: .3rem; }
            label { display: block; margin-top: .6rem; font-weight: 600; }
            .actions { display: flex; gap: .6rem; margin-top: .8rem; }
            button { font: inherit; padding: .35rem .9rem; cursor: pointer; }
            #approve { background: #1f7a3a; color: #fff; border: 0; border-radius: 4px; }
            #reject { background: #8a1c22; color: #fff; border: 0; border-radius: 4px; }
            .error { background: #fdecea; border: 1px solid #c0262d; color: #7a1117; padding: .5rem; border-radius: 4px; margin-top: .6rem; }
            .ok { background: #e8f5ec; border: 1px solid #1f7a3a; padding: .5rem; border-radius: 4px; margin-top: .6rem; }
            table { border-collapse: collapse; width: 100%; font-size: .85rem; }
            td, th { border-bottom: 1px solid #e3e6ea; padding: .25rem .4rem; text-align: left; vertical-align: top; }
            td.text { white-space: pre-wrap; }
            .message, .snippet, td.text, #who, #title { unicode-bidi: isolate; }
            .failed { color: #8a1c22; font-weight: 700; }

        """

    /// Pure helpers the script uses, kept apart so they can be tested on their own.
    static let helpers = #"""
        // Control, formatting and bidirectional characters (not newline or tab), shown as ⟨U+XXXX⟩:
        // a handle with U+202E must not reverse what follows it, nor hide what it holds.
        var INVISIBLE = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
        function visible(text) {
          if (text === undefined || text === null) return text;
          return String(text).replace(INVISIBLE, function (c) {
            return "\u27e8U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "\u27e9";
          });
        }
        // The item a link names: /review/ID (a Slack alert's link), or null for /review.
        function itemFromPath(path) {
          var match = /^\/review\/([^\/]+)\/?$/.exec(path || "");
          return match ? decodeURIComponent(match[1]) : null;
        }
        // What became of a reply, for staff: never "sent" unless it was.
        function deliveryText(delivery) {
          if (!delivery) return "Not queued for delivery.";
          switch (delivery.state) {
            case "sent": return "Sent.";
            case "queued": return "Queued, not sent yet.";
            case "retrying": return "NOT SENT YET, retrying (" + (delivery.last_error || "an attempt failed") + ").";
            default: return "FAILED, not sent (" + (delivery.last_error || "gave up") + "). Reach the writer another way, or resend it.";
          }
        }
        // A stored UTC time as staff read it: in the practice's time zone, with the zone's name.
        function localTime(iso, zone) {
          if (!iso) return iso;
          var date = new Date(iso);
          if (isNaN(date.getTime())) return iso;
          try {
            var parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone || "UTC", year: "numeric", month: "2-digit", day: "2-digit",
              hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }).formatToParts(date);
            var part = function (type) { var found = parts.find(function (p) { return p.type === type; }); return found ? found.value : ""; };
            return part("year") + "-" + part("month") + "-" + part("day") + " " + part("hour") + ":" + part("minute") + " " + part("timeZoneName");
          } catch (e) {
            return iso;
          }
        }
        // Urgent first, then newest first: a new urgent item is at the top.
        function queueOrder(a, b) {
          return (b.urgent ? 1 : 0) - (a.urgent ? 1 : 0) || String(b.created_at || "").localeCompare(String(a.created_at || ""));
        }
        """#

    /// How often the console reloads the queue by itself, in milliseconds.
    static let refreshInterval = 15_000

    /// The page's script, the exact text of its one `<script>` block.
    static let script = """

            "use strict";
            (function () {
            \(helpers)
              var KEY = "bedside.token";
              var ZONE = document.documentElement.getAttribute("data-time-zone") || "UTC";
              var current = null;
              function $(id) { return document.getElementById(id); }
              function show(el, visible) { el.classList.toggle("hidden", !visible); }
              function el(tag, text, cls) {
                var node = document.createElement(tag);
                if (text !== undefined && text !== null) node.textContent = String(text);
                if (cls) node.className = cls;
                return node;
              }
              function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
              function token() { return sessionStorage.getItem(KEY); }

              function api(method, path, body) {
                var headers = { "Authorization": "Bearer " + token() };
                var init = { method: method, headers: headers, cache: "no-store" };
                if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
                return fetch(path, init).then(function (response) {
                  return response.text().then(function (text) {
                    var data = null;
                    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
                    if (!response.ok) {
                      var error = new Error((data && data.detail) || ("HTTP " + response.status));
                      error.status = response.status;
                      error.code = data && data.error;
                      error.reasons = (data && data.reasons) || [];
                      throw error;
                    }
                    return data;
                  });
                });
              }

              function showError(box, error) {
                clear(box);
                var title = error.status === 409 ? "Conflict: someone else already acted on this item. "
                  : error.status === 422 ? "Refused: " : error.status === 401 ? "Not signed in: "
                  : error.status === 403 ? "Not allowed: " : "Error: ";
                box.appendChild(el("strong", title));
                box.appendChild(el("span", error.message + (error.code ? " (" + error.code + ")" : "")));
                if (error.reasons && error.reasons.length) {
                  var list = el("ul");
                  error.reasons.forEach(function (reason) { list.appendChild(el("li", reason)); });
                  box.appendChild(list);
                }
                box.className = "error";
                show(box, true);
                if (error.status === 401) { sessionStorage.removeItem(KEY); start(); }
              }

              function note(box, text) { clear(box); box.textContent = text; box.className = "ok"; show(box, true); }

              function loadQueue() {
                show($("list-error"), false);
                return api("GET", "/v1/queue?status=pending").then(function (items) {
                  items = (items || []).slice().sort(queueOrder);
                  var list = $("queue");
                  clear(list);
                  $("count").textContent = items.length + " pending";
                  items.forEach(function (item) {
                    var li = el("li", null, item.urgent ? "urgent" : "");
                    var button = el("button");
                    button.type = "button";
                    button.setAttribute("data-id", item.id);
                    if (current === item.id) button.className = "selected";
                    if (item.urgent) button.appendChild(el("span", "URGENT", "badge"));
                    button.appendChild(el("span", item.category || "uncategorised"));
                    button.appendChild(el("span", " · " + (item.platform || "") + " · " + (localTime(item.created_at, ZONE) || ""), "meta"));
                    button.appendChild(el("span", visible(item.text) || "(text purged)", "snippet"));
                    button.addEventListener("click", function () { openItem(item.id); });
                    li.appendChild(button);
                    list.appendChild(li);
                  });
                  if (!items.length) list.appendChild(el("li", "Nothing waiting for review.", "meta"));
                }).catch(function (error) { showError($("list-error"), error); });
              }

              function row(table, cells) {
                var tr = el("tr");
                cells.forEach(function (cell) { tr.appendChild(el("td", cell === null || cell === undefined ? "" : cell, "text")); });
                table.appendChild(tr);
              }

              function openItem(id) {
                current = id;
                show($("item-error"), false);
                show($("result"), false);
                Array.prototype.forEach.call(document.querySelectorAll("#queue button"), function (b) {
                  b.classList.toggle("selected", b.getAttribute("data-id") === id);
                });
                return api("GET", "/v1/queue/" + encodeURIComponent(id)).then(function (shown) {
                  var item = shown.item;
                  show($("empty"), false);
                  show($("detail"), true);
                  clear($("title"));
                  if (item.urgent) $("title").appendChild(el("span", "URGENT", "badge"));
                  $("title").appendChild(el("span", item.category || "uncategorised"));
                  $("who").textContent = [visible(item.author), visible(item.platform), visible(item.thread), localTime(item.created_at, ZONE), "status: " + item.status]
                    .filter(function (x) { return x; }).join(" · ");
                  $("message").textContent = visible(item.text) || "(text purged)";
                  $("why").textContent = item.reason || "(none given)";
                  var matched = $("matched");
                  clear(matched);
                  (item.matched || []).forEach(function (rule) { matched.appendChild(el("li", rule)); });
                  if (!(item.matched || []).length) matched.appendChild(el("li", "(no rule matched)", "meta"));
                  show($("holding-box"), !!item.holding_reply);
                  $("holding").textContent = visible(item.holding_reply) || "";
                  var holding = (shown.deliveries || []).filter(function (d) { return d.kind === "holding"; })[0];
                  $("holding-state").textContent = deliveryText(holding);
                  $("holding-state").className = holding && holding.state === "sent" ? "" : "failed";
                  show($("resend"), !!holding && holding.state === "failed");
                  $("resend").setAttribute("data-key", holding ? holding.key : "");
                  $("reply").value = item.draft || "";
                  $("override").value = "";
                  $("reason").value = "";
                  $("assignee").value = item.assignee || "";
                  var pending = item.status === "pending";
                  ["approve", "reject", "assign"].forEach(function (b) { $(b).disabled = !pending; });
                  var history = $("history");
                  clear(history);
                  (shown.history || []).forEach(function (entry) {
                    row(history, [localTime(entry.at, ZONE), entry.actor, entry.action, visible(entry.text_after || entry.note || ""), entry.override || ""]);
                  });
                }).catch(function (error) { showError($("item-error"), error); });
              }

              function act(kind) {
                if (!current) return;
                var id = current;
                var body;
                if (kind === "approve") {
                  body = { reply: $("reply").value };
                  var justification = $("override").value.trim();
                  if (justification) body.override = justification;
                } else if (kind === "assign") {
                  // No name: the reviewer takes the item.
                  var assignee = $("assignee").value.trim();
                  body = assignee ? { to: assignee } : {};
                } else {
                  body = { reason: $("reason").value };
                }
                var done = {
                  approve: "Approved: the reply is queued for delivery (",
                  reject: "Rejected (",
                  assign: "Assigned (",
                };
                ["approve", "reject", "assign"].forEach(function (b) { $(b).disabled = true; });
                api("POST", "/v1/queue/" + encodeURIComponent(id) + "/" + kind, body).then(function (item) {
                  note($("result"), done[kind] + (kind === "assign" ? "to " + item.assignee : item.status) + ").");
                  return loadQueue().then(function () { return openItem(id); }).then(function () { show($("result"), true); });
                }).catch(function (error) {
                  ["approve", "reject", "assign"].forEach(function (b) { $(b).disabled = false; });
                  showError($("item-error"), error);
                });
              }

              function resend() {
                var id = current, key = $("resend").getAttribute("data-key");
                if (!id || !key) return;
                $("resend").disabled = true;
                api("POST", "/v1/outbox/" + encodeURIComponent(key) + "/retry").then(function () {
                  $("resend").disabled = false;
                  return openItem(id).then(function () { note($("result"), "The holding reply is queued again."); });
                }).catch(function (error) { $("resend").disabled = false; showError($("item-error"), error); });
              }

              function start() {
                var signedIn = !!token();
                show($("login"), !signedIn);
                show($("console"), signedIn);
                show($("signout"), signedIn);
                if (!signedIn) return;
                var linked = current ? null : itemFromPath(window.location.pathname);
                loadQueue().then(function () { if (linked) openItem(linked); });
              }

              $("signin").addEventListener("click", function () {
                var value = $("token").value.trim();
                if (!value) return;
                sessionStorage.setItem(KEY, value);
                $("token").value = "";
                start();
              });
              $("token").addEventListener("keydown", function (event) { if (event.key === "Enter") $("signin").click(); });
              $("signout").addEventListener("click", function () { sessionStorage.removeItem(KEY); current = null; start(); });
              $("refresh").addEventListener("click", loadQueue);
              $("approve").addEventListener("click", function () { act("approve"); });
              $("reject").addEventListener("click", function () { act("reject"); });
              $("assign").addEventListener("click", function () { act("assign"); });
              $("resend").addEventListener("click", resend);
              // The queue refreshes by itself, so a new urgent item shows without anyone pressing Refresh.
              setInterval(function () { if (token() && !document.hidden) loadQueue(); }, \(refreshInterval));
              start();
            })();

        """

    /// The whole page, showing times in the practice's time zone (an IANA name). The zone is an
    /// attribute, not part of the script, so the script's hash in the CSP stays the same.
    static func html(timeZone: String) -> String {
        html.replacingOccurrences(of: "<html lang=\"en\">", with: "<html lang=\"en\" data-time-zone=\"\(timeZone)\">")
    }

    /// The page without a time zone (times in UTC).
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>Bedside review console</title>
        <style>\(style)</style>
        </head>
        <body>
        <header><h1>Bedside review console</h1><span id="count"></span>
        <button type="button" id="refresh">Refresh</button><button type="button" id="signout" class="hidden">Sign out</button></header>
        <section id="login" class="hidden">
        <h2>Sign in</h2>
        <p class="meta">Paste your staff token (from <code>bedside token new</code>). It is kept for this tab only.</p>
        <label for="token">Staff token</label>
        <input type="password" id="token" autocomplete="off">
        <div class="actions"><button type="button" id="signin">Sign in</button></div>
        </section>
        <main id="console" class="hidden">
        <section>
        <h2>Pending</h2>
        <div id="list-error" class="hidden" role="alert"></div>
        <ul id="queue"></ul>
        </section>
        <section>
        <p id="empty" class="meta">Choose an item.</p>
        <div id="detail" class="hidden">
        <h2 id="title"></h2>
        <p id="who" class="meta"></p>
        <h3>Message</h3>
        <div id="message" class="message"></div>
        <h3>Why it was queued</h3>
        <p id="why"></p>
        <h3>Matched rules</h3>
        <ul id="matched"></ul>
        <div id="holding-box" class="hidden"><h3>Holding reply</h3><p id="holding-state"></p><div id="holding" class="message"></div>
        <div class="actions"><button type="button" id="resend" class="hidden">Resend the holding reply</button></div></div>
        <label for="reply">Reply (edit before approving)</label>
        <textarea id="reply"></textarea>
        <label for="override">Override reason (admins only, when the reply guard refuses)</label>
        <input type="text" id="override">
        <label for="reason">Reject reason</label>
        <input type="text" id="reason" placeholder="why no reply is sent (required)">
        <label for="assignee">Assign to (empty: yourself)</label>
        <input type="text" id="assignee">
        <div class="actions"><button type="button" id="approve">Approve and send</button><button type="button" id="reject">Reject</button>
        <button type="button" id="assign">Assign</button></div>
        <div id="item-error" class="hidden" role="alert"></div>
        <div id="result" class="hidden" role="status"></div>
        <h3>History</h3>
        <table><thead><tr><th>when</th><th>who</th><th>what</th><th>text / note</th><th>override</th></tr></thead><tbody id="history"></tbody></table>
        </div>
        </section>
        </main>
        <script>\(script)</script>
        </body>
        </html>

        """
}
