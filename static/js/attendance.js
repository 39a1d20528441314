// The attendance checklist: "Hele teamet møtte" ticks or clears the team's members,
// and is ticked when every member is. The server honours the team's box as well,
// so the page works without this script.
(function () {
  "use strict";
  function members(teamId) {
    return document.querySelectorAll('input[data-member-of="' + teamId + '"]');
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.dataset.teamBox) {
      members(box.dataset.teamBox).forEach(function (member) {
        member.checked = box.checked;
      });
    } else if (box.dataset.memberOf) {
      var team = document.querySelector('input[data-team-box="' + box.dataset.memberOf + '"]');
      if (team) {
        team.checked = Array.prototype.every.call(members(box.dataset.memberOf), function (m) {
          return m.checked;
        });
      }
    }
  });
})();
