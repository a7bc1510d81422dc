from django import forms

from shishi.api.access import SCOPES
from shishi.api.actions import DAYS_MAX, RATE_MAX
from shishi.core.forms import QuickSelect, StyledForm


class TokenForm(StyledForm):
    name = forms.CharField(label="名称", max_length=60, help_text="对接的系统，如：省12345平台")
    unit = forms.ModelChoiceField(
        label="代表单位",
        queryset=None,
        empty_label="请选择单位",
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
        help_text="令牌以该单位身份调用，只能看到和办理该单位及下级的诉求和项目",
    )
    scopes = forms.MultipleChoiceField(
        label="权限范围", choices=list(SCOPES.items()), widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=DAYS_MAX, initial=90)
    rate_per_minute = forms.IntegerField(
        label="每分钟请求上限", min_value=1, max_value=RATE_MAX, initial=600
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
