/* The portal's search page (/tim-kiem/): Pagefind, with Vietnamese as readers type it.
 *
 * - The query, the filters and the sort live in the URL (?q=&co-quan=&chu-de=&nam=&sap-xep=).
 * - Nothing is loaded until a search starts (a query or a filter in the URL, or a submit).
 * - Matching folds accents, tones and "đ": Pagefind indexes the text folded that way
 *   (newsroom/search.py) and gets the query folded alike; each record also carries the
 *   text as written ("text"), on which results are ranked (adjacent syllables first:
 *   "da nang" is Đà Nẵng; for an accented query, exact tones: hòa = hoà), highlighted
 *   and shown.
 * - Every editor-written value reaches the page as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var form = document.getElementById("nr-search");
  if (!form) return;
  var input = document.getElementById("nr-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("nr-more");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var sortSelect = document.getElementById("nr-sap-xep");
  var facets = form.querySelector(".nr-search__facets");
  var PAGE = 10; // results shown at a time
  var RERANK = 30; // results whose text is loaded to rank them
  var RERANK_SOON = 10; // the same, for results shown while older years are still being searched
  var EXCERPT_WORDS = 28; // words in a result's excerpt
  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var BUNDLES = new URL(form.dataset.pagefind, location.href).pathname; // .../pagefind/
  var BASE = new URL(form.dataset.base, location.href).pathname;
  var bundles = (form.dataset.bundles || "").split(" ").filter(Boolean); // "2025.10-2025.12", "2016-2019": newest first
  var articles = {}; // bundle name -> how many articles it holds
  (form.dataset.articles || "").split(" ").forEach(function (n, i) { if (bundles[i]) articles[bundles[i]] = Number(n) || 0; });
  var SOON = 100; // ms of searching before results so far are shown (ranking and drawing them take about as long)
  var FIRST = 200; // articles searched, at least, before results are shown (the newest bundle may have just begun)
  var engine = null; // a promise of the worker searches use (see begin)
  var spare = null; // a promise of the next worker, started once this one holds too much (see prepare)
  var run = 0; // the latest search; older ones stop when they see it changed
  var displays = 0; // the latest display of results (a search shows partial results, then the final ones)

  function loose(word) { // no accents, no tones, đ -> d, lower case, "ky" -> "ki" (as newsroom.search.fold)
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase()
      .replace(/\b(qu|[hklmst])y\b/g, "$1i");
  }
  function exact(word) { // tones kept, wherever they were placed: "hoà" = "hòa"
    var decomposed = word.toLowerCase().normalize("NFD");
    var tones = (decomposed.match(TONES) || []).sort().join("");
    return decomposed.replace(TONES, "").normalize("NFC") + tones;
  }
  function bare(token) { // a word without the punctuation around it
    return token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}\p{M}]+$/gu, "");
  }
  function words(text) {
    return text.split(/\s+/).map(bare).filter(Boolean);
  }
  function tokens(data) { // its words as written (Pagefind indexed a folded copy), and folded alike; once a result
    if (!data.tokens) {
      data.tokens = data.original.split(/\s+/);
      data.folded = loose(data.original).split(/\s+/).map(bare); // folded as a whole: much faster than word by word
      data.parts = data.folded.map(parts);
    }
    return data;
  }
  var JOINED = /[^\p{L}\p{N}]/u;
  function parts(word) { // a folded word, and the words punctuation joins in it: "238-qd/tw" -> 238, qd, tw
    return JOINED.test(word) ? [word].concat(word.split(/[^\p{L}\p{N}]+/u).filter(Boolean)) : [word];
  }
  function original(data) { // the text as written, which the build puts in each record (newsroom.pagefind_bundle)
    data.original = (data.meta && data.meta.text) || "";
    return data;
  }
  function accented(text) {
    return /[^\u0000-\u007f]/.test(text.normalize("NFC"));
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (select) { setSelect(select, params.get(select.name) || ""); });
    sortSelect.value = params.get("sap-xep") === "moi-nhat" ? "moi-nhat" : "";
  }
  function writeUrl(push) {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    selects.forEach(function (select) { if (select.value) params.set(select.name, select.value); });
    if (sortSelect.value) params.set("sap-xep", sortSelect.value);
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    (push ? history.pushState : history.replaceState).call(history, null, "", url);
  }
  function setSelect(select, value) {
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.appendChild(new Option(value, value));
    }
    select.value = value;
  }
  function active() {
    return input.value.trim() !== "" || selects.some(function (s) { return s.value; });
  }

  // The index is split into bundles of years (newsroom/search.py): the newest holds Pagefind itself.
  // Each bundle is opened as a Pagefind instance of its own when a search first reaches it, so that
  // searching one reads only its index (merged into one instance, every search read them all).
  // They share one worker and one WebAssembly, started by the newest bundle's instance first.
  var current = null; // the worker searches use, once started
  function load() {
    if (!engine) {
      var starting = engine = begin().then(function (worker) {
        if (engine !== starting) retire(worker); // replaced meanwhile: the search that asked is over
        else current = worker;
        return worker;
      }, function (error) { // whichever search asked, the next one starts afresh
        if (engine === starting) engine = null;
        throw error;
      });
    }
    return engine;
  }
  // A worker: Pagefind's module, loaded under an address of its own (another module, with a worker
  // of its own), its instances, and how many results it holds. Ready once the newest bundle's
  // instance has started the worker and its WebAssembly (a search of nothing, which reads no index).
  var modules = 0; // modules loaded: a failed download leaves one unusable (a broken index stays loaded)
  function begin() {
    var again = modules++ ? "?r=" + modules : "";
    return import(new URL(BUNDLES + bundles[0] + "/pagefind.js" + again, location.href).href).then(function (module) {
      var worker = { module: module, instances: {}, counting: {}, handedOut: 0, retired: false };
      return open(worker, bundles[0]).search("").then(function () { return worker; }, function (error) {
        retire(worker);
        throw error;
      });
    });
  }
  function retire(worker) { // every instance destroyed: Pagefind stops the module's worker with the last
    worker.retired = true;
    Object.keys(worker.instances).forEach(function (name) { worker.instances[name].destroy(); });
  }
  // Pagefind's worker wrapper registers every result it hands out (a search of "của" gets one for
  // every article) with a FinalizationRegistry, and each result collected costs a message to the
  // worker and back: tens of thousands after a few searches, and a search waits behind them.
  // Instances are made without the registry; the worker then keeps every result's loader (about
  // 0.7 KB each), and the indexes it loaded stay in its WebAssembly memory even when an instance is
  // destroyed. So once a worker holds KEEP results, a new one is started when the reader has not
  // searched for IDLE ms (prepare), and the next search moves to it (renew): the old worker's
  // instances are destroyed, and it stops with the last. Until then the results shown can still
  // load their text. A reader who never pauses gets a new worker at 3 x KEEP, as a search begins.
  var KEEP = Math.min(20000, 3 * bundles.reduce(function (sum, name) { return sum + (articles[name] || 100); }, 0));
  var IDLE = 1000;
  function open(worker, name) {
    if (worker.retired) throw new Error("Pagefind worker retired"); // only a search already replaced gets here
    if (!worker.instances[name]) {
      var registry = window.FinalizationRegistry;
      window.FinalizationRegistry = undefined; // read by the instance's constructor only
      try {
        worker.instances[name] = worker.module.createInstance({ basePath: BUNDLES + name + "/", baseUrl: BASE });
      } finally {
        window.FinalizationRegistry = registry;
      }
    }
    return worker.instances[name];
  }
  var spare = null; // the next worker while it starts: {ready: the worker once it has every bundle open}
  function prepare(worker) { // once a search has ended
    if (worker.handedOut <= KEEP || spare) return;
    var mine = run;
    setTimeout(function () {
      if (mine !== run || spare) return; // a search began: tried again when one ends
      var starting = spare = { ready: null };
      begin().then(function (fresh) {
        // Every bundle opened with its filter files, as the old worker had them: the next search waits for none.
        return Promise.all(bundles.map(function (name) { return bundle(fresh, name, true); })).then(function () {
          if (spare === starting) starting.ready = fresh;
          else retire(fresh); // given up meanwhile (see renew)
        }, function (error) {
          retire(fresh);
          throw error;
        });
      }).catch(function () { // a download failed: tried again when a search ends
        if (spare === starting) spare = null;
      });
    }, IDLE);
  }
  function renew() { // as a search begins (the results shown before are gone)
    var old = current;
    if (spare && spare.ready) {
      current = spare.ready;
      engine = Promise.resolve(current);
      spare = null;
    } else if (old && old.handedOut > 3 * KEEP) { // the reader never paused: a new worker now
      engine = current = null;
      spare = null; // one still starting is retired once it has
    } else {
      return;
    }
    if (old) retire(old);
  }
  function covers(name, year) { // "2016-2019" covers 2017, "2025.01-2025.03" 2025
    var ends = name.split("-");
    return parseInt(ends[0], 10) <= Number(year) && Number(year) <= parseInt(ends[ends.length - 1], 10);
  }
  function likely(took, name, next) { // ms to search bundle ``next``, as ``name`` took ``took``
    return articles[name] && articles[next] ? took * articles[next] / articles[name] : took;
  }
  function bundle(worker, name, withCounts) {
    var instance = open(worker, name);
    // Facet counts need each bundle's filter files; the first results never wait for them.
    if (!withCounts) return Promise.resolve(instance);
    if (!worker.counting[name]) {
      worker.counting[name] = instance.filters().then(function (values) {
        // Pagefind answers a failed download of filter files with none; every bundle has years.
        if (!values || !values.year || !Object.keys(values.year).length) throw new Error("no filters in " + name);
        return instance;
      });
    }
    return worker.counting[name];
  }

  function parseQuery(text) {
    var quoted = /^\s*"(.*)"\s*$/.exec(text);
    var phrase = quoted ? quoted[1] : "";
    var terms = words((phrase || text).replace(/"/g, " "));
    return { terms: terms, folded: terms.map(loose), phrase: Boolean(quoted), accented: accented(text) };
  }

  // Searches the bundles newest first, one at a time (a newer search stops it between two).
  // Results are shown once every bundle is searched, or sooner, as soon as searching one more
  // would likely take the whole search past SOON ms; then updated when the rest are in.
  function search() {
    var mine = ++run;
    var query = parseQuery(input.value);
    list.textContent = "";
    more.hidden = true;
    more.onclick = null;
    if (!active()) {
      status.textContent = "";
      list.setAttribute("aria-busy", "false");
      facets.setAttribute("aria-busy", "false");
      return;
    }
    status.textContent = "Đang tìm…";
    list.setAttribute("aria-busy", "true");
    facets.setAttribute("aria-busy", "true");
    var filters = {};
    selects.forEach(function (select) { if (select.value) filters[select.dataset.filter] = select.value; });
    var tiers = bundles.filter(function (name) { return !filters.year || covers(name, filters.year); });
    var newest = sortSelect.value === "moi-nhat";
    // The index is folded (newsroom/search.py): the query goes in folded alike, without quotes.
    var text = query.terms.length ? query.folded.join(" ") : null;
    var started = Date.now();
    var found = []; // [bundle, results] in the order searched
    var counts = {};
    var uncounted = []; // bundles searched before their filter files were loaded
    var shown = false;
    var searched = 0; // articles in the bundles searched so far
    var pf;

    function searchBundle(name, withCounts) {
      return bundle(pf, name, withCounts).then(function (instance) {
        var options = { filters: filters };
        if (newest) options.sort = { date: "desc" };
        return instance.search(text, options);
      }).then(function (answer) {
        pf.handedOut += answer.results.length;
        return answer;
      });
    }
    function pool() {
      var all = [].concat.apply([], found.map(function (entry) { return entry[1]; }));
      if (!newest) all.sort(function (a, b) { return r_score(b.score) - r_score(a.score); });
      return all;
    }
    function next(i) {
      if (mine !== run) return null;
      if (i >= tiers.length) return null;
      var name = tiers[i];
      var withCounts = i > 0 || tiers.length === 1;
      var begun = Date.now();
      return searchBundle(name, withCounts).then(function (answer) {
        if (mine !== run) return null;
        found.push([name, answer.results]);
        if (withCounts) add(counts, answer.filters); else uncounted.push(name);
        var last = i + 1 >= tiers.length;
        // Show what there is if the next bundle (as long as this one, for its size) would end past SOON.
        var now = Date.now();
        searched += articles[name] || FIRST;
        var soon = searched < FIRST || now + likely(now - begun, name, tiers[i + 1]) - started < SOON;
        if (!last && (shown || soon)) return next(i + 1);
        shown = true;
        return rank(pool(), query, !newest, !last).then(function (ranked) {
          if (mine !== run) return null;
          return display(ranked, query, mine, !last);
        }).then(function () {
          if (last || mine !== run) return null;
          preload(tiers.slice(i + 1));
          return next(i + 1);
        });
      });
    }
    function preload(names) { // the older bundles' index and filter files, fetched side by side, searched one by one
      names.forEach(function (name) {
        bundle(pf, name, true).then(function (instance) { return instance.preload(text, { filters: filters }); })
          .catch(function () {}); // a failed download fails the search of that bundle, which says so
      });
    }
    function countEarlier() { // bundles searched before counting started, searched again (their chunks are loaded)
      return uncounted.reduce(function (done, name) {
        return done.then(function () {
          if (mine !== run) return null;
          return searchBundle(name, true).then(function (answer) {
            add(counts, answer.filters);
          });
        });
      }, Promise.resolve());
    }

    if (!tiers.length || (input.value.trim() && !query.terms.length)) { // no bundle has that year; a query of no word
      display([], query, mine, false);
      showFacets({});
      facets.setAttribute("aria-busy", "false");
      return;
    }
    renew();
    load().then(function (worker) {
      pf = worker;
      return next(0);
    }).then(function () {
      if (mine !== run) return null;
      return countEarlier();
    }).then(function () {
      if (mine !== run) return;
      showFacets(counts);
      facets.setAttribute("aria-busy", "false");
      prepare(pf);
    }).catch(function () {
      if (mine !== run) return; // a later search replaced this one
      if (pf && pf === current) { // an index download failed: its instance is broken, and may have broken the worker
        retire(pf);
        engine = current = null;
      }
      status.textContent = shown
        ? "Không tải được một phần bộ tìm kiếm: kết quả có thể chưa đủ. Hãy thử lại sau."
        : "Không tải được bộ tìm kiếm. Hãy thử lại sau.";
      list.setAttribute("aria-busy", "false");
      facets.setAttribute("aria-busy", "false");
    });
  }
  function add(total, part) { // facet counts of one bundle's results added to the others'
    Object.keys(part || {}).forEach(function (key) {
      total[key] = total[key] || {};
      Object.keys(part[key]).forEach(function (value) { total[key][value] = (total[key][value] || 0) + part[key][value]; });
    });
  }

  // Ranks the first results by what Pagefind cannot see: adjacent syllables and exact tones.
  function rank(results, query, byRelevance, partial) {
    if (!query.terms.length) { // filters only: nothing to rank by, every result in Pagefind's order
      return Promise.resolve(results.map(function (r) { return { result: r }; }));
    }
    var head = results.slice(0, query.phrase ? 100 : partial ? RERANK_SOON : RERANK);
    var tail = query.phrase || !query.terms.length ? [] : results.slice(head.length);
    return Promise.all(head.map(dataOf)).then(function (data) {
      var items = data.map(function (d, i) {
        return { data: d, score: r_score(results[i].score), fit: fit(tokens(d), (d.meta && d.meta.title) || "", query), order: i };
      });
      // Pagefind answers a word it does not know with the words it starts with ("bimat" -> "bí"):
      // keep only texts that have every query word (or a word it begins, as typed so far).
      items = items.filter(function (item) { return item.fit.all && (!query.phrase || item.fit.together); });
      if (!items.length) tail = [];
      if (byRelevance && query.terms.length) {
        items.sort(function (a, b) {
          return (b.fit.pairs - a.fit.pairs) || (b.fit.exact - a.fit.exact) || (b.fit.whole - a.fit.whole) ||
            (b.fit.density - a.fit.density) || (b.score - a.score) || (a.order - b.order);
        });
      }
      return items.concat(tail.map(function (r) { return { result: r }; }));
    });
  }
  function r_score(score) { return typeof score === "number" ? score : 0; }
  var loaded = new WeakMap(); // result -> its data: a later update of the same search loads nothing again
  function dataOf(result) {
    if (!loaded.has(result)) loaded.set(result, result.data().then(original));
    return loaded.get(result);
  }

  // How well a text fits the query: adjacent query syllables found together, exact tones,
  // query words found whole (not only as the start of a longer word), and how dense they are
  // (title words count four times, as the index weighs them).
  function fit(d, title, query) {
    var terms = query.folded;
    var folded = d.folded;
    var pairs = 0;
    var together = terms.length < 2; // every query syllable in a row, as a quoted phrase needs
    for (var i = 0; i + 1 < terms.length; i++) {
      for (var j = 0; j + 1 < folded.length; j++) {
        if (folded[j] === terms[i] && folded[j + 1] === terms[i + 1]) { pairs++; break; }
      }
    }
    for (var k = 0; !together && k + terms.length <= folded.length; k++) {
      together = terms.every(function (t, n) { return folded[k + n] === t; });
    }
    var all = terms.every(function (t) {
      return d.parts.some(function (ps) { return ps.some(function (w) { return w.lastIndexOf(t, 0) === 0; }); });
    });
    var wanted = new Set(terms);
    function wantedIn(ps) { return ps.some(function (w) { return wanted.has(w); }); }
    var whole = terms.filter(function (t) { return d.parts.some(function (ps) { return ps.indexOf(t) >= 0; }); }).length;
    var hits = d.parts.filter(wantedIn).length;
    var titleHits = words(loose(title)).filter(function (w) { return wanted.has(w); }).length;
    var density = (hits + 3 * titleHits) / Math.max(1, folded.length);
    var exactCount = 0;
    if (query.accented) { // only the words that match folded need their tones compared
      var have = new Set();
      folded.forEach(function (w, n) { if (wanted.has(w)) have.add(exact(bare(d.tokens[n]))); });
      query.terms.forEach(function (t) { if (have.has(exact(t))) exactCount++; });
    }
    return { all: all, pairs: pairs, exact: exactCount, whole: whole, density: density, together: together };
  }

  // Shows the results (again, when older years have come in); ``partial`` while some are still being searched.
  function display(items, query, mine, partial) {
    var said = input.value.trim() ? " cho “" + input.value.trim() + "”" : "";
    var summary = partial
      ? "Đang tìm tiếp trong các năm trước… Đã thấy " + items.length + " bài" + said + "."
      : items.length
      ? "Tìm thấy " + items.length + " bài" + said + "."
      : "Không tìm thấy bài nào" + said + ". Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.";
    var shown = 0;
    var replacing = true;
    var mineShown = ++displays; // a later display of the same search (the final one) supersedes this one
    function next() {
      var batch = items.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = partial || shown >= items.length; // "more" waits for the final ranking, which replaces these
      return Promise.all(batch.map(function (item) {
        return item.data ? Promise.resolve(item) : dataOf(item.result).then(function (d) { return { data: d }; });
      })).then(function (batchData) {
        if (mine !== run || mineShown !== displays) return;
        if (replacing) list.textContent = ""; // the results shown so far are replaced at once
        replacing = false;
        batchData.forEach(function (item) { list.appendChild(entry(item, query)); });
      });
    }
    more.onclick = function () {
      var first = list.children.length;
      next().then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      });
    };
    // Said once the first results are on the page, so a screen reader hears it with them.
    return next().then(function () {
      if (mine !== run || mineShown !== displays) return;
      status.textContent = summary;
      list.setAttribute("aria-busy", partial ? "true" : "false");
    });
  }

  function entry(item, query) {
    var d = item.data;
    var li = document.createElement("li");
    li.className = "nr-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = d.url;
    link.textContent = (d.meta && d.meta.title) || d.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "nr-result__meta";
    meta.textContent = [d.meta && d.meta.date, d.meta && d.meta.agencies].filter(Boolean).join(" · ");
    li.appendChild(meta);
    var excerpt = document.createElement("p");
    excerpt.className = "nr-result__excerpt";
    fillExcerpt(excerpt, tokens(d), query);
    li.appendChild(excerpt);
    return li;
  }

  // A short window of the text around the first match, matched words in <mark>.
  function fillExcerpt(element, d, query) {
    var terms = new Set(query.folded);
    var tokens = d.tokens;
    var hits = d.parts.map(function (ps) { return ps.some(function (w) { return terms.has(w); }); });
    var first = hits.indexOf(true);
    var start = Math.max(0, (first < 0 ? 0 : first) - 8);
    var end = Math.min(tokens.length, start + EXCERPT_WORDS);
    if (start > 0) element.appendChild(document.createTextNode("… "));
    for (var i = start; i < end; i++) {
      if (hits[i]) {
        var mark = document.createElement("mark");
        mark.textContent = tokens[i];
        element.appendChild(mark);
        if (i + 1 < end) element.appendChild(document.createTextNode(" "));
      } else {
        element.appendChild(document.createTextNode(tokens[i] + (i + 1 < end ? " " : "")));
      }
    }
    if (end < tokens.length) element.appendChild(document.createTextNode(" …"));
  }

  function showFacets(counts) {
    selects.forEach(function (select) {
      var values = counts[select.dataset.filter] || {};
      var chosen = select.value;
      var names = Object.keys(values).sort(function (a, b) {
        return select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b, "vi");
      });
      while (select.options.length > 1) select.remove(1);
      names.forEach(function (name) {
        if (values[name] > 0 || name === chosen) select.appendChild(new Option(name + " (" + values[name] + ")", name));
      });
      setSelect(select, chosen);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    writeUrl(true);
    search();
  });
  selects.concat([sortSelect]).forEach(function (select) {
    select.addEventListener("change", function () { writeUrl(true); search(); });
  });
  window.addEventListener("popstate", function () { readUrl(); search(); });

  readUrl();
  if (active()) search();
})();
