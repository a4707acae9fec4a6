from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The display name must be on the row before its first save: it is required and unique.
        user.display_name = form.cleaned_data["display_name"]
        return super().save_user(request, user, form, commit=commit)
