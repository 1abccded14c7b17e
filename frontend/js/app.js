// Page behaviour: the cluster picker submits on change; "Copy link" copies the permalink, which
// always carries absolute from/to, so a relative window ("last 1 h") is pinned when it is shared.
(function () {
  'use strict';

  function absolute(path) {
    return new URL(path, window.location.href).toString();
  }

  function setUp() {
    var select = document.getElementById('cluster-select');
    if (select) {
      select.addEventListener('change', function () { select.form.submit(); });
    }
    var button = document.getElementById('copy-link');
    var out = document.getElementById('permalink-out');
    if (button && out) {
      button.addEventListener('click', function () {
        var link = absolute(button.getAttribute('data-permalink'));
        out.value = link;
        out.hidden = false;
        out.select();
        var done = function () { button.textContent = 'Link copied'; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(link).then(done, function () { button.textContent = 'Copy the link below'; });
        } else {
          try {
            document.execCommand('copy');
            done();
          } catch (e) {
            button.textContent = 'Copy the link below';
          }
        }
      });
    }
  }

  // A remedy's Copy button: the clipboard where the browser allows it, else the text is selected
  // for Ctrl+C. What was copied is kept in data-copied (for people checking, and for tests).
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyRemedy(button) {
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    if (!target) { return; }
    var text = target.textContent;
    var done = function () {
      button.textContent = 'Copied';
      button.setAttribute('data-copied', text);
    };
    var fallback = function () {
      selectText(target);
      var copied = false;
      try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
      if (copied) { done(); } else { button.textContent = 'Selected: press Ctrl+C'; }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function setUpCopyButtons() {
    document.querySelectorAll('button.copy[data-copy-target]').forEach(function (button) {
      button.addEventListener('click', function () { copyRemedy(button); });
    });
  }

  document.addEventListener('DOMContentLoaded', setUp);
  document.addEventListener('DOMContentLoaded', setUpCopyButtons);
})();
