"""Form styling shared by every page: Bootstrap classes, error state and described-by links."""

from __future__ import annotations

from django import forms


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-help"

    def _mark_invalid(self, name: str) -> None:
        """Style the field as invalid and point its description at the error (also for errors views add)."""
        widget = self.fields[name].widget
        classes = widget.attrs.get("class", "").split()
        if "is-invalid" not in classes:
            widget.attrs["class"] = " ".join([*classes, "is-invalid"])
        widget.attrs["aria-invalid"] = "true"
        widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self._mark_invalid(name)

    def add_error(self, field, error):
        super().add_error(field, error)
        if field is not None and field in self.fields:
            self._mark_invalid(field)


PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; their content is checked by the service (``check_photos``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": PHOTO_TYPES, "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
