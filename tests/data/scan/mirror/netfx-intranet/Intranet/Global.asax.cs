using System.Web.Mvc;
using System.Web.Routing;
using Microsoft.Win32;

namespace Intranet
{
    public class MvcApplication : System.Web.HttpApplication
    {
        protected void Application_Start()
        {
            log4net.Config.XmlConfigurator.Configure();
            var key = Registry.LocalMachine.OpenSubKey(@"SOFTWARE\Acme\Intranet");
            RouteConfig.RegisterRoutes(RouteTable.Routes);
            JobScheduler.Start();
        }
    }
}
