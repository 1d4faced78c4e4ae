from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms

from .models import Category, Kind


class CaptchaInput(CaptchaTextInput):
    """django-simple-captcha's image + answer box, named in Chinese: the image's alt text and the box's
    aria-label (the field renders as a fieldset whose legend labels no single input, so the box needs its
    own name for screen readers; WCAG 2.1 4.1.2)."""

    template_name = "cases/captcha_widget.html"

    def __init__(self, attrs=None, **kw):
        super().__init__(attrs={"aria-label": "验证码(输入图中字符)", **(attrs or {})}, **kw)


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    """Several files in one input; each is checked by cases.photos (real image, size, pixels)."""

    def __init__(self, *a, **kw):
        kw.setdefault("widget", MultiFileInput(attrs={"accept": "image/*"}))
        super().__init__(*a, **kw)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultiFileField, self).clean(d, initial) for d in data if d]
        return super().clean(data, initial)


class ReportForm(forms.Form):
    """公众在线反映 (web form). Validation of content is done by services.do_create_case."""

    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.PROBLEM)
    category = forms.ChoiceField(label="类别")
    description = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    address = forms.CharField(label="事发地址", max_length=300, required=False)
    lat = forms.CharField(label="纬度", required=False, max_length=30)
    long = forms.CharField(label="经度", required=False, max_length=30)
    subject_unit = forms.CharField(label="被投诉单位(效能投诉必填)", required=False, max_length=100)
    subject_person = forms.CharField(label="被投诉人(可不填)", required=False, max_length=64)
    anonymous = forms.BooleanField(label="匿名反映(将无法接收办理结果通知)", required=False)
    reporter_name = forms.CharField(label="姓名", required=False, max_length=64)
    reporter_phone = forms.CharField(label="联系电话", required=False, max_length=32)
    reporter_email = forms.CharField(label="电子邮箱", required=False, max_length=254)
    photos = MultiFileField(label="照片(最多5张)", required=False)
    captcha = CaptchaField(label="验证码", widget=CaptchaInput())

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["category"].choices = [
            (c.code, f"{c.get_kind_display()} · {c.name}") for c in Category.objects.filter(is_active=True)]


class LookupForm(forms.Form):
    number = forms.CharField(label="案件编号", max_length=20)
    code = forms.CharField(label="查询码", max_length=20)


class RateForm(LookupForm):
    rating = forms.ChoiceField(label="评价", choices=[("satisfied", "满意"), ("basic", "基本满意"),
                                                     ("unsatisfied", "不满意")])
    comment = forms.CharField(label="评价意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class HotlineForm(forms.Form):
    """话务员 entry screen (12345)."""

    reporter_phone = forms.CharField(label="来电号码", required=False, max_length=32)
    reporter_name = forms.CharField(label="来电人", required=False, max_length=64)
    anonymous = forms.BooleanField(label="匿名", required=False)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.PROBLEM)
    category = forms.ChoiceField(label="类别")
    address = forms.CharField(label="地点", required=False, max_length=300)
    description = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    subject_unit = forms.CharField(label="被投诉单位", required=False, max_length=100)

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["category"].choices = [
            (c.code, f"{c.get_kind_display()} · {c.name}") for c in Category.objects.filter(is_active=True)]
