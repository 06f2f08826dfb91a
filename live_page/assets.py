"""The page's inline style and script, and the Content-Security-Policy that allows exactly them.

The script is ES5 (no arrow functions, no `let`), so it runs on old phones' browsers; where
EventSource is missing it polls the JSON state every 15 s, and without JavaScript the page
reloads itself every 30 s (a <meta refresh> inside <noscript>).
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1.25rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:#111;background:#f2f2f2}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;
padding:.5rem 1rem;background:#1a1a1a;color:#fff}
.site{margin:.25rem 0;font-weight:700}
nav a{display:inline-block;color:#fff;padding:.6rem .4rem;margin-left:.3rem}
nav a[aria-current]{font-weight:700;text-decoration:none;border-bottom:3px solid #fff}
main{max-width:34rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:2px solid #1a1a1a;border-radius:.6rem;padding:1.25rem;margin:0 0 1rem}
h1{margin:0 0 .5rem;font-size:1.5rem;line-height:1.25}
.num{display:block;font-size:4.5rem;font-weight:800;line-height:1.05;letter-spacing:.04em}
.svc{font-size:1.4rem;font-weight:600;margin:.25rem 0 1rem}
.big{font-size:1.6rem;font-weight:700;margin:.5rem 0}
.called{background:#00386b;border-color:#00386b;color:#fff}
.called h1{font-size:2rem}
.to{font-size:1.4rem;margin:.75rem 0 0}
.ctr{display:block;font-size:2.8rem;font-weight:800;line-height:1.1}
.over{background:#e8e8e8}
.stale{background:#8c1d10;color:#fff;padding:.8rem 1rem;border-radius:.6rem;font-weight:700}
.note{background:#fff;border-left:.4rem solid #00386b;padding:.6rem 1rem}
.off{display:none}
.upd{color:#3d3d3d;font-size:1rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
button{font:inherit;font-weight:700;width:100%;min-height:3rem;padding:.7rem 1rem;
color:#00386b;background:#fff;border:3px solid #00386b;border-radius:.6rem;cursor:pointer}
.hint{font-size:1.05rem}
a:focus,button:focus{outline:3px solid #d97e00;outline-offset:2px}
""".strip()

SCRIPT = """
(function () {
  var d = document, b = d.body;
  var card = d.getElementById('card'), stale = d.getElementById('stale');
  var say = d.getElementById('say'), upd = d.getElementById('upd');
  var heard = new Date().getTime(), said = say.textContent, ended = false, source = null;
  function live(ok) { stale.className = ok ? 'stale off' : 'stale'; }
  function show(m) {
    heard = new Date().getTime();
    if (m.html) { card.innerHTML = m.html; }
    if (m.title) { d.title = m.title; }
    if (m.upd) { upd.textContent = m.upd; }
    if (m.say && m.say !== said) {
      said = m.say; say.textContent = m.say;
      if (m.alert && navigator.vibrate) { navigator.vibrate([400, 200, 400]); }
    }
    live(m.live !== false);
    if (m.final) { ended = true; if (source) { source.close(); } }
  }
  function take(text) { try { show(JSON.parse(text)); } catch (e) { live(false); } }
  function poll() {
    if (ended) { return; }
    var x = new XMLHttpRequest();
    x.onreadystatechange = function () {
      if (x.readyState !== 4) { return; }
      if (x.status === 200) { take(x.responseText); } else { live(false); }
    };
    x.open('GET', b.getAttribute('data-state'), true);
    x.send();
  }
  if (b.getAttribute('data-final') === '1') { return; }
  if (window.EventSource) {
    source = new EventSource(b.getAttribute('data-events'));
    source.onmessage = function (e) { take(e.data); };
    source.onerror = function () {
      if (ended) { return; }
      live(false);
      if (source.readyState === 2) { source = null; setInterval(poll, 15000); }
    };
  } else {
    setInterval(poll, 15000);
  }
  setInterval(function () {
    if (!ended && new Date().getTime() - heard > 40000) { live(false); }
  }, 5000);
})();
""".strip()


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


#: Only this page's own style and script run; nothing loads from elsewhere; no framing.
CSP = (
    f"default-src 'none'; style-src {_sha256(STYLE)}; script-src {_sha256(SCRIPT)}; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
