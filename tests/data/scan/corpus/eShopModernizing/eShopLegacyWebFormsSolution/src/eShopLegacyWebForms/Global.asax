<%@ Application Codebehind="Global.asax.cs" Inherits="eShopLegacyWebForms.Global" Language="C#" %>
