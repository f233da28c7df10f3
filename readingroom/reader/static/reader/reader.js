// Progressive enhancement only: every page works without JavaScript.
"use strict";

function copyFrom(targetId, button) {
  const el = document.getElementById(targetId);
  const text = el.value !== undefined && el.tagName === "INPUT" ? el.value : el.textContent.trim();
  const done = () => { const label = button.textContent; button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1500); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => selectText(el));
  } else {
    selectText(el);
    try { document.execCommand("copy"); done(); } catch (e) { /* selected for manual copy */ }
  }
}

function selectText(el) {
  if (el.select) { el.select(); return; }
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

function addParagraphLinks() {
  document.querySelectorAll(".text-body p[id]").forEach((p) => {
    const a = document.createElement("a");
    a.href = "#" + p.id;
    a.className = "para-link";
    a.textContent = "¶";
    a.setAttribute("aria-label", "Link to this paragraph");
    p.prepend(a);
  });
}

function setUpTabs() {
  document.querySelectorAll('[role="tablist"]').forEach((list) => {
    const tabs = Array.from(list.querySelectorAll('[role="tab"]'));
    tabs.forEach((tab) => tab.addEventListener("click", () => {
      tabs.forEach((t) => {
        const selected = t === tab;
        t.setAttribute("aria-selected", String(selected));
        document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
      });
    }));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  // Copy buttons need JavaScript, so they are hidden until it runs.
  document.querySelectorAll("button.copy").forEach((b) => {
    b.hidden = false;
    b.addEventListener("click", () => copyFrom(b.dataset.copyTarget, b));
  });
  addParagraphLinks();
  setUpTabs();
});
