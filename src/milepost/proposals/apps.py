from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "milepost.proposals"
    verbose_name = "Business issues, consultancy and proposals"

    def ready(self) -> None:
        from milepost.accounts.audit import audited
        from milepost.clients.signals import client_page_sections
        from milepost.needs.signals import need_page_sections, theme_page_sections
        from milepost.proposals import page_sections

        # The audit trail (docs/audit.md). ProposalEvent is itself the proposal's history.
        audited(self.get_model("BusinessIssue"), m2m=["needs", "themes"])
        audited(self.get_model("Metric"))
        audited(self.get_model("Engagement"), m2m=["issues", "interactions", "capability"])
        audited(self.get_model("Proposal"), m2m=["issues"])
        audited(self.get_model("ProposalItem"), m2m=["issues", "metrics", "competencies"])
        audited(self.get_model("CostLine"))
        # Sections of the need, theme and client pages (lib/sections.py).
        need_page_sections.connect(page_sections.need_section, dispatch_uid="proposals-need")
        theme_page_sections.connect(page_sections.theme_section, dispatch_uid="proposals-theme")
        client_page_sections.connect(page_sections.client_section, dispatch_uid="proposals-client")
