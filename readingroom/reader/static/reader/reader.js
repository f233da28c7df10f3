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

// A paragraph or page anchor in the address (#p12, #pb-196, #page-2) is what the reader
// cites: the citation shown and the all-citations link carry its locator ("para. 12").
function citeAnchor() {
  const link = document.querySelector("a.cite-all");
  const shown = document.getElementById("citation-text");
  if (!link || !shown) return;
  link.dataset.base = link.dataset.base || link.getAttribute("href");
  const base = link.dataset.base;
  const anchor = location.hash.slice(1);
  const query = /^(p\d+|pb-\w+|page-\d+)$/.test(anchor) ? "anchor=" + encodeURIComponent(anchor) : "";
  link.href = query ? base + "?" + query : base;
  if (!query && !shown.dataset.anchored) return;
  shown.dataset.anchored = query;
  fetch(base + "?style=chicago-note" + (query ? "&" + query : ""), { headers: { Accept: "text/html" } })
    .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
    .then((html) => {
      const fragment = document.createElement("template");
      fragment.innerHTML = html;  // our own escaped fragment
      const cited = fragment.content.querySelector("p.citation");
      if (cited) shown.innerHTML = cited.innerHTML;
    })
    .catch(() => { /* the citation without locator stays */ });
}

// A search form leaves its empty fields out of the address it goes to (?q=Berlin, not
// ?q=Berlin&from=&to=); without JavaScript they are sent empty, which means the same.
function omitEmptyFields() {
  document.querySelectorAll("form.search-form, form.index-filter").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("input[name]").forEach((input) => {
        if (input.value === "") input.disabled = true;
      });
    });
  });
  // Back to this page from the next one: the fields are usable again.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form input[disabled]").forEach((input) => { input.disabled = false; });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  omitEmptyFields();
  // Copy buttons need JavaScript, so they are hidden until it runs.
  document.querySelectorAll("button.copy").forEach((b) => {
    b.hidden = false;
    b.addEventListener("click", () => copyFrom(b.dataset.copyTarget, b));
  });
  addParagraphLinks();
  setUpTabs();
  citeAnchor();
  window.addEventListener("hashchange", citeAnchor);
});
