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

  document.addEventListener('DOMContentLoaded', setUp);
})();
