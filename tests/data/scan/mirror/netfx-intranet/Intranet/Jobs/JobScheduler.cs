using Quartz;
using Quartz.Impl;

namespace Intranet.Jobs
{
    public static class JobScheduler
    {
        public static async void Start()
        {
            IScheduler scheduler = await StdSchedulerFactory.GetDefaultScheduler();
            await scheduler.Start();
        }
    }
}
