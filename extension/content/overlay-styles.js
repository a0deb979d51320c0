// Styles of everything inside Déonto's shadow root (the ::highlight() colours are in
// highlights.css, which the manifest injects into the page itself).
globalThis.deonto.overlayStyles = `
:host { all: initial; }
.layer { position: fixed; top: 0; left: 0; width: 0; height: 0; z-index: 2147483646; }
* { box-sizing: border-box; }
.ui { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #c8ccd1; background: #fff;
  color: #1f2328; padding: 4px 10px; }
button:hover { background: #f3f4f6; }
button:focus-visible { outline: 2px solid #2f6feb; outline-offset: 1px; }
button.primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
button.primary:hover { background: #195ccc; }
a { color: #1f6feb; }

.box { position: fixed; pointer-events: none; border-bottom: 2px solid; }
.box.sev-error { border-bottom-color: #d1242f; background: rgba(209, 36, 47, .10); }
.box.sev-warning { border-bottom-color: #e16f24; background: rgba(225, 111, 36, .10); }
.box.sev-info { border-bottom: 2px dotted #1f6feb; }

.badge { position: fixed; display: flex; align-items: center; gap: 6px; height: 24px; padding: 0 9px;
  border-radius: 12px; border: 1px solid transparent; font-size: 12px; font-weight: 600; white-space: nowrap;
  box-shadow: 0 1px 3px rgba(0,0,0,.18); background: #fff; }
.badge[hidden] { display: none; }
.badge .dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; }
.badge[data-state="clean"] { color: #1a7f37; border-color: #1a7f37; }
.badge[data-state="findings"] { color: #9a6700; border-color: #e16f24; }
.badge[data-state="findings"][data-errors]:not([data-errors="0"]) { color: #d1242f; border-color: #d1242f; }
.badge[data-state="offline"] { color: #57606a; border-color: #8c959f; background: #f6f8fa; font-weight: 500; }
.badge[data-state="pending"] { color: #57606a; border-color: #d0d7de; }

.list { position: fixed; width: 340px; max-height: 320px; overflow: auto; background: #fff; border: 1px solid #d0d7de;
  border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); padding: 6px; }
.list[hidden] { display: none; }
.list .item { display: block; width: 100%; text-align: left; border: 0; padding: 6px 8px; margin: 0; }
.list .item .excerpt { font-weight: 600; }
.list .empty { padding: 6px 8px; color: #57606a; }

.sev { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
.sev-error .sev, .sev.sev-error { background: #d1242f; }
.sev-warning .sev, .sev.sev-warning { background: #e16f24; }
.sev-info .sev, .sev.sev-info { background: #1f6feb; }

.card { position: fixed; width: 360px; overflow: auto; background: #fff; border: 1px solid #d0d7de; border-radius: 10px;
  box-shadow: 0 8px 28px rgba(0,0,0,.2); padding: 12px 14px; }
.card[hidden] { display: none; }
.card .category { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; color: #57606a; }
.card .message { font-weight: 600; margin: 4px 0 6px; }
.card .explanation { color: #424a53; margin: 0 0 8px; }
.card .refs { margin: 0 0 8px; padding: 0; list-style: none; font-size: 13px; }
.card .refs li { margin-bottom: 2px; }
.card .suggestions { margin: 0 0 10px; padding: 0; list-style: none; }
.card .suggestion { display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 6px 8px; border-radius: 6px; background: #f6f8fa; margin-bottom: 4px; }
.card .actions { display: flex; gap: 6px; flex-wrap: wrap; }
.card .hint { font-size: 12px; color: #57606a; margin-top: 6px; }

.guard { position: fixed; width: 400px; overflow: auto; background: #fff; border: 1px solid #d0d7de; border-radius: 10px;
  box-shadow: 0 10px 36px rgba(0,0,0,.28); padding: 14px 16px; }
.guard[hidden] { display: none; }
.guard h2 { font-size: 15px; margin: 0 0 8px; }
.guard ul { margin: 0 0 10px; padding-left: 18px; }
.guard .consent { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px; margin: 0 0 10px; }
.guard .actions { display: flex; justify-content: flex-end; gap: 8px; }
`;
